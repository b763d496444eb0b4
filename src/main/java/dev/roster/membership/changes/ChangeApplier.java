package dev.roster.membership.changes;

import dev.roster.cache.ChangeFeedCache;
import dev.roster.cache.Tag;
import dev.roster.membership.config.ChangeFeedConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Applies what {@link ChangeRules} resolved for one change to Redis, on the feed's thread, and counts it
 * ({@code roster_changes_total{resolution}}, {@code roster_changes_lag_seconds}). The cache's operations are
 * awaited here: the feed reads the stream with the synchronous driver on a dedicated thread (see {@link
 * MemberChangeFeed}), never on an event loop.
 */
final class ChangeApplier {

    private static final Logger LOG = Logger.getLogger(ChangeApplier.class);
    private static final Duration CACHE_WAIT = Duration.ofSeconds(5);
    static final String EVERYTHING = "everything";
    /** At most one INFO line this often about evicting everything (counted in roster_changes_total anyway). */
    private static final Duration LOG_EVERY = Duration.ofSeconds(1);

    private final ChangeFeedCache cache;
    private final ChangeFeedConfig config;
    private final MeterRegistry registry;
    private final BooleanSupplier stopping;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer lag;
    // The last announcement settled, and the one waiting for its writer (only the feed's thread uses these).
    private String settledId;
    private List<Tag> settledTags;
    private String pendingId;
    private long pendingSince;
    private long lastEverythingLog = System.nanoTime() - Duration.ofMinutes(1).toNanos();
    private int unlogged;

    ChangeApplier(ChangeFeedCache cache, ChangeFeedConfig config, MeterRegistry registry, BooleanSupplier stopping) {
        this.cache = cache;
        this.config = config;
        this.registry = registry;
        this.stopping = stopping;
        this.lag = Timer.builder("roster.changes.lag")
                .description("From a change in MongoDB (its wall time, MongoDB 6.0+) to its eviction applied to Redis")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    /** Applies one change once; fails with {@link CacheUnavailable} when Redis did not take it. */
    String apply(ChangeEvent event) throws InterruptedException {
        String outcome = applyOnce(ChangeRules.resolve(event));
        count(outcome, 1);
        LOG.debugf("Change %s of %s: %s", event.kind(), event.documentId(), outcome);
        if (event.wallTime() != null) {
            lag.record(Duration.between(event.wallTime(), Instant.now()));
        }
        return outcome;
    }

    private String applyOnce(ChangeRules.Resolution resolution) throws InterruptedException {
        if (resolution instanceof ChangeRules.Resolution.Exact exact) {
            awaitCache(cache.evict(exact.tags()));
            return "exact";
        }
        if (resolution instanceof ChangeRules.Resolution.Announced announced) {
            List<Tag> tags = announcedTags(announced.changeId());
            if (tags == null && announced.complete()) {
                awaitCache(cache.evict(announced.known()));
                return "exact";
            }
            if (tags == null) {
                everything("a change whose announcement is gone");
                return EVERYTHING;
            }
            if (tags.isEmpty()) {
                return "applied-by-writer";
            }
            Set<Tag> all = new LinkedHashSet<>(tags);
            all.addAll(announced.known());
            awaitCache(cache.evict(all));
            return "announced";
        }
        everything(((ChangeRules.Resolution.Everything) resolution).reason());
        return EVERYTHING;
    }

    /**
     * The tags announced under {@code changeId}: empty once its writer evicted them after an acknowledged write,
     * null when unknown. A change whose writer has not reported yet is held for up to {@link
     * ChangeFeedConfig#writerGrace()} from the first change seen with that id (a bulk batch's changes share one),
     * then its tags are evicted; a settled answer is reused for the next changes with the same id.
     */
    private List<Tag> announcedTags(String changeId) throws InterruptedException {
        if (changeId.equals(settledId)) {
            return settledTags;
        }
        if (!changeId.equals(pendingId)) {
            pendingId = changeId;
            pendingSince = System.nanoTime();
        }
        while (true) {
            List<Tag> tags = awaitCache(cache.announced(changeId));
            if (tags == null) {
                return null;
            }
            if (tags.isEmpty()
                    || System.nanoTime() - pendingSince >= config.writerGrace().toNanos()
                    || stopping.getAsBoolean()) {
                settledId = changeId;
                settledTags = tags;
                return tags;
            }
            Thread.sleep(config.idlePause().toMillis());
        }
    }

    void everything(String why) throws InterruptedException {
        long now = System.nanoTime();
        if (now - lastEverythingLog > LOG_EVERY.toNanos()) {
            LOG.infof(
                    "Evicting every cache entry: %s%s",
                    why, unlogged == 0 ? "" : " (and " + unlogged + " more times since the last such line)");
            lastEverythingLog = now;
            unlogged = 0;
        } else {
            unlogged++;
        }
        awaitCache(cache.evictAll());
    }

    void count(String outcome, int changes) {
        counters.computeIfAbsent(
                        outcome,
                        o -> Counter.builder("roster.changes")
                                .description(
                                        "Changes of the members collection applied to the cache, by how they were resolved")
                                .tag("resolution", o)
                                .register(registry))
                .increment(changes);
    }

    /** Waits on this dedicated thread (never an event loop) for a cache operation. */
    static <T> T awaitCache(Uni<T> operation) throws InterruptedException {
        try {
            return operation.await().atMost(CACHE_WAIT);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopping");
            }
            throw new CacheUnavailable(e);
        }
    }

    /** Redis did not apply a cache operation. */
    static final class CacheUnavailable extends RuntimeException {
        CacheUnavailable(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
