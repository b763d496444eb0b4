package dev.roster.cache;

import java.util.Collection;

/**
 * Implemented by results of {@link InvalidatesTags} methods that know, only once the write ran, which further
 * tags it changed (the team a member moved away from, the teams a bulk touched).
 */
public interface ChangedTags {

    Collection<Tag> changedTags();
}
