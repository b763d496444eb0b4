package dev.roster.cache;

import java.util.Collection;
import java.util.List;

/**
 * The tags a running write may change. A write declares them before it sends each command that may change
 * them (capturing the document it is about to change first, where the tags depend on it), so that whatever
 * happens next (success, a failure whose outcome is unknown, a caller that went away) those tags are evicted.
 */
public interface WriteScope {

    /** Adds tags the next command may change. */
    void mayChange(Collection<Tag> tags);

    /** Adds tags the next command may change. */
    default void mayChange(Tag... tags) {
        mayChange(List.of(tags));
    }
}
