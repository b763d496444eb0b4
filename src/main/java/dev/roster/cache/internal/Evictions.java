package dev.roster.cache.internal;

import dev.roster.cache.ChangeFeedCache;
import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.TagInvalidator;
import dev.roster.cache.WriteScope;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.cache.internal.near.NearCache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Eviction by tag generations, in O(1) per changed tag, without scanning or flushing keys, and the one owner of
 * what the cache owes the store after an outage.
 *
 * <p>A write deletes the generation of each tag it changed (the next computation creates it at a fresh value);
 * entries stamped with the old generation are never served again and simply expire. Generations and the epoch
 * start at random values and a missing key matches no entry (see {@link Stamp}), so the store may drop any of
 * these keys at any time: that costs misses, never a stale read.
 *
 * <p>When an eviction cannot reach the store, or the store was unavailable, the epoch is owed: it is deleted
 * (which invalidates every entry of every instance) as soon as the store answers again, retried in the background,
 * and this instance does not read from the store before that.
 */
@Singleton
public class Evictions implements TagInvalidator, ChangeFeedCache {

    private static final Logger LOG = Logger.getLogger(Evictions.class);

    /** How often an owed epoch is retried while the store does not answer. */
    private static final Duration SETTLE_RETRY = Duration.ofMillis(200);

    private final EntryStore store;
    private final NearCache near;
    private final CacheMetrics metrics;
    /**
     * Debts are counted, not flagged: a deletion settles only the debts owed before it was sent, so an eviction
     * that fails while a deletion is in flight is still owed after it lands.
     */
    private final AtomicLong owed = new AtomicLong();

    private final AtomicLong settled = new AtomicLong();
    private final AtomicBoolean settling = new AtomicBoolean();
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final AtomicLong localWrites = new AtomicLong();
    private final long announceMillis;

    public Evictions(EntryStore store, CacheMetrics metrics, NearCache near, RosterCacheConfig config) {
        this.store = store;
        this.near = near;
        this.metrics = metrics;
        this.announceMillis = config.announceTtl().toMillis();
        store.onOutage(this::owe);
        metrics.evictionsOwed(this::owing);
    }

    @Override
    public Uni<Void> invalidate(Collection<Tag> tags) {
        return invalidate(tags, List.of());
    }

    /**
     * {@link #invalidate(Collection)} after a write MongoDB acknowledged: its announcements {@code applied} are
     * marked done in the same round trip, so that the change feed does not evict what this write's own eviction
     * already did (entries computed after it stay).
     */
    Uni<Void> invalidate(Collection<Tag> tags, Collection<String> applied) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        localWrites.incrementAndGet();
        metrics.evictions(tags.size());
        near.forget(tags);
        if (!store.available()) {
            owe("Redis unavailable");
            return Uni.createFrom().voidItem();
        }
        // Forgotten again once the store has applied the bumps: a near-cache read that fetched a generation
        // after the first forget but before the bump landed may have kept the old value, and the invalidation
        // push can arrive after this answer.
        return store.bump(tags, applied, announceMillis)
                .onFailure()
                .recoverWithItem(e -> {
                    owe(e.getClass().getSimpleName());
                    return null;
                })
                .invoke(() -> near.forget(tags));
    }

    @Override
    public <T> Uni<T> write(Function<WriteScope, Uni<T>> write) {
        return EvictingWrite.run(this, write);
    }

    /** Keeps {@code tags} under each change id for the change feed (see {@link WriteScope#announce}); never fails. */
    Uni<Void> announce(Collection<String> changeIds, Collection<Tag> tags) {
        if (changeIds.isEmpty() || tags.isEmpty() || !store.available()) {
            return Uni.createFrom().voidItem();
        }
        return store.announce(changeIds, List.copyOf(tags), announceMillis)
                .onFailure()
                .recoverWithNull();
    }

    @Override
    public Uni<List<Tag>> announced(String changeId) {
        return store.announced(changeId);
    }

    @Override
    public Uni<Void> evict(Collection<Tag> tags) {
        near.forget(tags);
        return store.bump(tags).invoke(() -> near.forget(tags));
    }

    @Override
    public Uni<Void> evictAll() {
        return store.replaceEpoch().invoke(() -> {
            near.clear();
            metrics.epochBumps();
        });
    }

    @Override
    public Uni<String> position() {
        return store.feedPosition();
    }

    @Override
    public Uni<Void> savePosition(String position) {
        return store.saveFeedPosition(position);
    }

    /**
     * Counts this process's evictions; an in-process computation started before a write must not be joined by
     * a caller that arrived after it (used where no stamp can tell).
     */
    long localWrites() {
        return localWrites.get();
    }

    /** Whether no epoch is owed: reads may use the store now (the common case, checked without a Uni). */
    boolean settled() {
        return !owing();
    }

    /**
     * Settles an owed epoch before this instance reads from the store. Emits false when reads must not use it
     * yet (the epoch could not be deleted, or another request is deleting it right now).
     */
    Uni<Boolean> readyForReads() {
        if (!owing()) {
            return Uni.createFrom().item(true);
        }
        return settle();
    }

    private boolean owing() {
        return settled.get() != owed.get();
    }

    private Uni<Boolean> settle() {
        if (!settling.compareAndSet(false, true)) {
            return Uni.createFrom().item(false);
        }
        long covers = owed.get();
        return store.replaceEpoch()
                .map(ignored -> {
                    settled.accumulateAndGet(covers, Math::max);
                    if (owing()) {
                        return false;
                    }
                    near.clear();
                    metrics.epochBumps();
                    LOG.infof("Replaced the cache epoch: entries stored before Redis became unavailable are ignored");
                    return true;
                })
                .onFailure()
                .recoverWithItem(false)
                .eventually(() -> settling.set(false));
    }

    /**
     * Something may have been missed while Redis was unavailable (an eviction that failed, an outage, a Redis
     * that lost data): delete the epoch before reading again, and as soon as Redis answers, so that the other
     * instances stop serving entries from before it too.
     */
    void owe(String why) {
        near.clear();
        if (owed.getAndIncrement() == settled.get()) {
            LOG.warnf("Cache evictions may have been lost (%s): the epoch will be replaced when Redis answers", why);
        }
        settleSoon();
    }

    private void settleSoon() {
        if (!retrying.compareAndSet(false, true)) {
            return;
        }
        Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(SETTLE_RETRY)
                .chain(() -> owing() && !settling.get() && store.available()
                        ? settle()
                        : Uni.createFrom().item(false))
                .onFailure()
                .recoverWithItem(false)
                .subscribe()
                .with(ignored -> {
                    retrying.set(false);
                    if (owing()) {
                        settleSoon();
                    }
                });
    }
}
