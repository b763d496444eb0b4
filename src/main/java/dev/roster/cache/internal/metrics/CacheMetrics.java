package dev.roster.cache.internal.metrics;

import dev.roster.cache.internal.plan.Lookup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the cache did, as Micrometer meters and (through {@link CacheSpans}) as span attributes and MDC
 * entries.
 *
 * <p>Where Micrometer's cache binders have a name, the meter has it, so that dashboards built for any cache
 * work here: {@code cache.gets{cache,result=hit|miss}}, {@code cache.puts{cache}}, {@code cache.evictions{cache}}
 * and the load timer {@code cache.loads{cache,result=success|failure}} (the names of {@code CaffeineStatsCounter};
 * its latency buckets are set where the HTTP and MongoDB timers' are, in {@code dev.roster.observe}). A get is one lookup by one caller: a miss stays a miss
 * even when it is then answered by another instance's entry, so {@code hit + miss} counts lookups. Deleted tag
 * generations have no cache: they count as {@code cache.evictions{cache="roster-tags"}}.
 *
 * <p>The rest has no standard name and keeps Roster's: {@code roster.cache.bypasses{cache}} (cache switched
 * off), {@code roster.cache.fallbacks{cache}} (served without Redis), {@code roster.cache.stale{cache}}
 * (expired copies served because computing failed), {@code roster.cache.errors{cache,operation}},
 * {@code roster.cache.coalesced{cache}}, {@code roster.cache.lease.waits}, {@code .timeouts}, {@code .late.hits}
 * and {@code .served}, {@code roster.cache.early.refreshes}, {@code roster.cache.audits{result}} and
 * {@code roster.cache.epoch.bumps} (epoch deletions). The circuit's gauge is {@link CircuitStateGauge}.
 */
@Singleton
public class CacheMetrics {

    /** The {@code cache} tag of evictions that belong to no one cache (tag generations are shared). */
    public static final String TAGS_CACHE = "roster-tags";

    private final MeterRegistry registry;
    private final CacheSpans spans;
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** Meters only, no spans (tests that build the cache by hand). */
    public CacheMetrics(MeterRegistry registry) {
        this(registry, CacheSpans.off());
    }

    @Inject
    public CacheMetrics(MeterRegistry registry, CacheSpans spans) {
        this.registry = registry;
        this.spans = spans;
    }

    /** One caller's lookup of {@code l}: its span, and the entry's cache and key hash in the MDC meanwhile. */
    public Uni<Object> lookup(Lookup l, Supplier<Uni<Object>> work) {
        return spans.lookup(l, work);
    }

    /** One computation of {@code l}'s result (a MongoDB read, typically). */
    public <T> Uni<T> computing(Lookup l, Supplier<Uni<T>> loader) {
        return spans.child("roster.cache.compute", l, loader);
    }

    /** One store of a computed entry; emits whether it was stored. */
    public Uni<Boolean> storing(Lookup l, Supplier<Uni<Boolean>> store) {
        return spans.child("roster.cache.store", l, () -> store.get().invoke(spans::stored));
    }

    /**
     * The gauge {@code roster.cache.evictions.owed}: 1 while this instance owes the store an epoch deletion
     * (evictions may have been lost in an outage; it serves without the cache until the epoch is deleted).
     */
    public void evictionsOwed(java.util.function.BooleanSupplier owing) {
        io.micrometer.core.instrument.Gauge.builder("roster.cache.evictions.owed", () -> owing.getAsBoolean() ? 1 : 0)
                .description("1 while an epoch replacement is owed after evictions may have been lost")
                .register(registry);
    }

    public void hit(String cache) {
        count("cache.gets", cache, "result", "hit");
        spans.outcome("hit");
    }

    public void miss(String cache) {
        count("cache.gets", cache, "result", "miss");
        spans.outcome("miss");
    }

    /** An entry written to the store. */
    public void put(String cache) {
        count("cache.puts", cache, null, null);
    }

    /** The cache is switched off for this method: computed, never looked up. */
    public void bypass(String cache) {
        count("roster.cache.bypasses", cache, null, null);
        spans.outcome("bypass");
    }

    /** Served without Redis (unavailable, or its lookup failed). */
    public void fallback(String cache) {
        count("roster.cache.fallbacks", cache, null, null);
        spans.outcome("fallback");
    }

    /** An expired copy served because computing failed (stale-if-error); the lookup was a miss. */
    public void stale(String cache) {
        count("roster.cache.stale", cache, null, null);
        spans.outcome("stale");
    }

    public void coalesced(String cache) {
        count("roster.cache.coalesced", cache, null, null);
        spans.flag("roster.cache.coalesced");
    }

    public void leaseWait(String cache) {
        count("roster.cache.lease.waits", cache, null, null);
        spans.flag("roster.cache.lease_wait");
    }

    public void leaseTimeout(String cache) {
        count("roster.cache.lease.timeouts", cache, null, null);
    }

    /** A lease won after its previous holder had stored the entry: served from Redis, not computed again. */
    public void leaseLateHit(String cache) {
        count("roster.cache.lease.late.hits", cache, null, null);
    }

    /** A wait for another instance's lease that ended with its entry. */
    public void leaseServed(String cache) {
        count("roster.cache.lease.served", cache, null, null);
    }

    public void earlyRefresh(String cache) {
        count("roster.cache.early.refreshes", cache, null, null);
    }

    public void audit(String cache, boolean same) {
        count("roster.cache.audits", cache, "result", same ? "match" : "mismatch");
    }

    public void error(String cache, String operation) {
        count("roster.cache.errors", cache, "operation", operation);
    }

    public void load(String cache, long nanos) {
        loads(cache, "success").record(nanos, TimeUnit.NANOSECONDS);
    }

    public void loadFailed(String cache, long nanos) {
        loads(cache, "failure").record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Tag generations deleted by a write: {@code cache.evictions{cache="roster-tags"}}. */
    public void evictions(int tags) {
        counters.computeIfAbsent(
                        new MeterKey("cache.evictions", TAGS_CACHE, null),
                        k -> Counter.builder("cache.evictions")
                                .description("The number of times the cache was evicted (for roster-tags: tag"
                                        + " generations bumped by writes)")
                                .tag("cache", TAGS_CACHE)
                                .register(registry))
                .increment(tags);
    }

    public void epochBumps() {
        counters.computeIfAbsent(
                        new MeterKey("roster.cache.epoch.bumps", null, null),
                        k -> Counter.builder("roster.cache.epoch.bumps")
                                .description("Global epoch bumps after a Redis outage")
                                .register(registry))
                .increment();
    }

    private Timer loads(String cache, String result) {
        return timers.computeIfAbsent(
                cache + "|" + result,
                k -> Timer.builder("cache.loads")
                        .description("Computations of cache entries: successful or failed loads and their duration")
                        .tag("cache", cache)
                        .tag("result", result)
                        .register(registry));
    }

    private record MeterKey(String name, String cache, String tagValue) {}

    private void count(String name, String cache, String tagKey, String tagValue) {
        counters.computeIfAbsent(new MeterKey(name, cache, tagValue), k -> {
                    Counter.Builder builder = Counter.builder(name).tag("cache", cache);
                    if (tagKey != null) {
                        builder = builder.tag(tagKey, tagValue);
                    }
                    return builder.register(registry);
                })
                .increment();
    }
}
