package dev.roster.membership.service;

import dev.roster.cache.ChangedTags;
import dev.roster.cache.Tag;
import java.util.Collection;
import java.util.List;

/** A member before and after a write (after is null for a delete); names the team it left, if any. */
public record MemberChange(Member before, Member after) implements ChangedTags {

    @Override
    public Collection<Tag> changedTags() {
        return List.of(Tag.of(CacheTags.TEAM, before.team()));
    }
}
