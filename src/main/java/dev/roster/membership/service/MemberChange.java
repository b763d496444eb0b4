package dev.roster.membership.service;

import dev.roster.cache.ChangedTags;
import dev.roster.cache.Tag;
import java.util.Collection;
import java.util.List;

/** A member before and after a write (after is null for a delete); names the team it left, if any. */
public record MemberChange(Member before, Member after) implements ChangedTags {

    /** The team the member was in; and the list of teams, when a team's size changed. */
    @Override
    public Collection<Tag> changedTags() {
        boolean sizesChanged = after == null || !after.team().equals(before.team());
        return sizesChanged
                ? List.of(Tag.of(CacheTags.TEAM, before.team()), Tag.of(CacheTags.TEAMS))
                : List.of(Tag.of(CacheTags.TEAM, before.team()));
    }
}
