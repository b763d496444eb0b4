package dev.roster.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.health.Readiness;

/**
 * What readiness reports but never fails on, as gauges to alert on; each read at scrape time from state the checks
 * already keep, so a scrape does no I/O:
 *
 * <ul>
 *   <li>{@code roster_mongodb_reachable}: 1 when the last readiness check reached MongoDB within {@link
 *       HealthConfig#mongoTimeout()}, 0 when it did not, NaN before the first check. Readiness runs when it is
 *       probed (the kubelet, every 5 s in k8s): nothing here pings MongoDB.
 *   <li>{@code roster_redis_maxmemory_policy{policy}}: 1 for the policy {@link RedisEvictionPolicy} last read, 0
 *       for the others, {@code unknown} while it cannot be read. A policy missing from the list reads 0
 *       everywhere, so "not noeviction" stays one expression.
 * </ul>
 */
@Singleton
public class HealthGauges implements MeterBinder {

    /** The policies of Redis 7, and {@value RedisEvictionPolicy#UNKNOWN}. */
    static final List<String> POLICIES = List.of(
            "noeviction",
            "allkeys-lru",
            "allkeys-lfu",
            "allkeys-random",
            "volatile-lru",
            "volatile-lfu",
            "volatile-random",
            "volatile-ttl",
            RedisEvictionPolicy.UNKNOWN);

    private final MongoReadiness mongo;
    private final RedisEvictionPolicy eviction;

    HealthGauges(@Readiness MongoReadiness mongo, RedisEvictionPolicy eviction) {
        this.mongo = mongo;
        this.eviction = eviction;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("roster.mongodb.reachable", mongo, MongoReadiness::reachable)
                .description("1 when the last readiness check reached MongoDB, 0 when it did not (NaN before one ran)")
                .strongReference(true)
                .register(registry);
        for (String policy : POLICIES) {
            Gauge.builder("roster.redis.maxmemory.policy", eviction, e -> policy.equals(e.policy()) ? 1 : 0)
                    .description("1 for Redis's maxmemory-policy as last read (unknown: not read), 0 for the others")
                    .tag("policy", policy)
                    .strongReference(true)
                    .register(registry);
        }
    }
}
