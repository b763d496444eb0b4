package dev.roster.cache;

import io.smallrye.mutiny.Uni;
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

    /**
     * Announces the next command under each of {@code changeIds}, before it is sent: the tags declared so far are
     * kept under those ids for a while (see {@link ChangeFeedCache#announced}), so that the change feed, seeing a
     * change that carries one of them, evicts exactly these tags instead of every listing. Never fails: an
     * announcement Redis did not take only makes the feed's eviction of that change coarser.
     */
    Uni<Void> announce(Collection<String> changeIds);
}
