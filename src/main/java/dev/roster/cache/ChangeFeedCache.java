package dev.roster.cache;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.List;

/**
 * What a follower of the data's own change feed (MongoDB's change stream) needs from the cache, so that every
 * change evicts what it may have changed whoever made it: the tags a write announced before it was sent, eviction
 * that reports whether it was applied, and the feed's saved position.
 *
 * <p>Unlike {@link TagInvalidator}, every method fails when Redis did not apply it: the follower keeps the change
 * and retries it, and saves its position only past changes that were applied.
 */
public interface ChangeFeedCache {

    /**
     * The tags announced under {@code changeId} (see {@link WriteScope#announce}): empty once the writer evicted
     * them itself after MongoDB acknowledged the write, null when unknown (never announced, expired, lost).
     */
    Uni<List<Tag>> announced(String changeId);

    /** Evicts these tags; fails when Redis did not apply it. */
    Uni<Void> evict(Collection<Tag> tags);

    /** Makes every stored entry of every instance unreachable (deletes the epoch); fails when not applied. */
    Uni<Void> evictAll();

    /** The position saved by {@link #savePosition}, null when there is none. */
    Uni<String> position();

    /** Saves the feed's position: every change up to it has been applied to this Redis. */
    Uni<Void> savePosition(String position);
}
