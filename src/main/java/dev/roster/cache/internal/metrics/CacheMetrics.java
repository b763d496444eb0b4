package dev.roster.cache.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of the cache, per cache name: {@code roster.cache.requests{cache,result}} (hit, miss,
 * bypass, stale), {@code roster.cache.loads{cache}} (a timer: load count and load time),
 * {@code roster.cache.errors{cache,operation}}, {@code roster.cache.fallbacks{cache}} (requests served without
 * Redis), {@code roster.cache.evictions} (tag generations bumped), {@code roster.cache.epoch.bumps},
 * {@code roster.cache.coalesced} (callers that shared another's computation), {@code roster.cache.lease.waits}
 * and {@code .timeouts}, {@code roster.cache.early.refreshes} and {@code roster.cache.audits{result}}.
 */
@ApplicationScoped
public class CacheMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void hit(String cache) {
        count("roster.cache.requests", cache, "result", "hit");
    }

    public void miss(String cache) {
        count("roster.cache.requests", cache, "result", "miss");
    }

    public void bypass(String cache) {
        count("roster.cache.requests", cache, "result", "bypass");
    }

    public void stale(String cache) {
        count("roster.cache.requests", cache, "result", "stale");
    }

    public void coalesced(String cache) {
        count("roster.cache.coalesced", cache, null, null);
    }

    public void leaseWait(String cache) {
        count("roster.cache.lease.waits", cache, null, null);
    }

    public void leaseTimeout(String cache) {
        count("roster.cache.lease.timeouts", cache, null, null);
    }

    /** A lease won after its previous holder had stored the entry: served from Redis, not computed again. */
    public void leaseLateHit(String cache) {
        count("roster.cache.lease.late.hits", cache, null, null);
    }

    public void earlyRefresh(String cache) {
        count("roster.cache.early.refreshes", cache, null, null);
    }

    public void audit(String cache, boolean same) {
        count("roster.cache.audits", cache, "result", same ? "match" : "mismatch");
    }

    public void fallback(String cache) {
        count("roster.cache.fallbacks", cache, null, null);
    }

    public void error(String cache, String operation) {
        count("roster.cache.errors", cache, "operation", operation);
    }

    public void load(String cache, long nanos) {
        timers.computeIfAbsent(
                        cache,
                        c -> Timer.builder("roster.cache.loads")
                                .description("Computations of cache entries (count) and their duration")
                                .tag("cache", c)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void evictions(int tags) {
        counters.computeIfAbsent(
                        "evictions",
                        k -> Counter.builder("roster.cache.evictions")
                                .description("Tag generations bumped by writes")
                                .register(registry))
                .increment(tags);
    }

    public void epochBumps() {
        counters.computeIfAbsent(
                        "epoch",
                        k -> Counter.builder("roster.cache.epoch.bumps")
                                .description("Global epoch bumps after a Redis outage")
                                .register(registry))
                .increment();
    }

    private void count(String name, String cache, String tagKey, String tagValue) {
        counters.computeIfAbsent(name + "|" + cache + "|" + tagValue, k -> {
                    Counter.Builder builder = Counter.builder(name).tag("cache", cache);
                    if (tagKey != null) {
                        builder = builder.tag(tagKey, tagValue);
                    }
                    return builder.register(registry);
                })
                .increment();
    }
}
