package dev.roster.cache.internal.plan;

import dev.roster.cache.RosterCacheConfig;
import jakarta.inject.Singleton;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plans of annotated methods, each built once with its settings resolved from the configuration (all of them
 * at start-up, by the usage check, so that misuse fails the start).
 */
@Singleton
public class MethodPlans {

    /** A cached method's plan and its effective settings. */
    public record Planned(MethodPlan plan, Lookup.Settings settings) {}

    private final RosterCacheConfig config;
    private final Map<Method, Planned> results = new ConcurrentHashMap<>();
    private final Map<Method, List<TagTemplate>> invalidations = new ConcurrentHashMap<>();

    public MethodPlans(RosterCacheConfig config) {
        this.config = config;
    }

    public Planned result(Method method) {
        return results.computeIfAbsent(method, m -> {
            MethodPlan plan = MethodPlan.forResult(m);
            return new Planned(plan, settingsOf(plan));
        });
    }

    public List<TagTemplate> invalidation(Method method) {
        return invalidations.computeIfAbsent(method, MethodPlan::forInvalidation);
    }

    /** Method settings over the annotation's TTL over cache settings over the defaults. */
    private Lookup.Settings settingsOf(MethodPlan p) {
        var cache = Optional.ofNullable(config.caches().get(p.cache));
        var method = Optional.ofNullable(config.methods().get(p.settingsKey));
        Duration ttl = method.flatMap(RosterCacheConfig.CacheSettings::ttl)
                .or(() -> p.ttl)
                .or(() -> cache.flatMap(RosterCacheConfig.CacheSettings::ttl))
                .orElse(config.defaultTtl());
        Duration emptyTtl = method.flatMap(RosterCacheConfig.CacheSettings::emptyTtl)
                .or(() -> cache.flatMap(RosterCacheConfig.CacheSettings::emptyTtl))
                .orElse(config.emptyTtl());
        boolean enabled = config.enabled()
                && method.flatMap(RosterCacheConfig.CacheSettings::enabled)
                        .or(() -> cache.flatMap(RosterCacheConfig.CacheSettings::enabled))
                        .orElse(true);
        return new Lookup.Settings(enabled, ttl, emptyTtl.compareTo(ttl) < 0 ? emptyTtl : ttl);
    }
}
