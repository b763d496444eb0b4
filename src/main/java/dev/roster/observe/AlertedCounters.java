package dev.roster.observe;

import dev.roster.cache.RosterCacheConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Registers at 0, at start, the counters that the PrometheusRule in {@code k8s/components/monitoring} alerts on and
 * that their owners otherwise create on first use: a series that is born at 1 hides its first event from
 * {@code rate()}, and an alert on a series that does not exist yet cannot be told from one on a misspelt name. The
 * owners register the same name and tags later and get these counters back (Micrometer keys meters by name and
 * tags). Per configured cache ({@code roster.cache.caches.*}): stale answers, answers served without Redis, lease
 * waits and lease timeouts ({@code CacheMetrics}); and changes resolved by evicting everything
 * ({@code ChangeApplier}).
 */
@Singleton
public class AlertedCounters implements MeterBinder {

    static final List<String> PER_CACHE = List.of(
            "roster.cache.stale", "roster.cache.fallbacks", "roster.cache.lease.waits", "roster.cache.lease.timeouts");

    private final RosterCacheConfig config;

    AlertedCounters(RosterCacheConfig config) {
        this.config = config;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String cache : config.caches().keySet()) {
            for (String name : PER_CACHE) {
                Counter.builder(name).tag("cache", cache).register(registry);
            }
        }
        Counter.builder("roster.changes")
                .description("Changes of the members collection applied to the cache, by how they were resolved")
                .tag("resolution", "everything")
                .register(registry);
    }
}
