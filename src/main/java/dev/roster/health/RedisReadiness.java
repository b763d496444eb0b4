package dev.roster.health;

import dev.roster.cache.CacheHealth;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the cache's Redis state and Redis's eviction policy; always UP, because without Redis Roster is
 * slower, never broken.
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {

    private final CacheHealth cache;
    private final RedisEvictionPolicy eviction;

    public RedisReadiness(CacheHealth cache, RedisEvictionPolicy eviction) {
        this.cache = cache;
        this.eviction = eviction;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .item(HealthCheckResponse.named("redis-cache")
                        .up()
                        .withData("circuit", cache.circuit())
                        .withData("mode", cache.available() ? "caching" : "degraded: serving from MongoDB")
                        .withData("maxmemory-policy", eviction.policy())
                        .withData("maxmemory", eviction.maxmemory())
                        .build());
    }
}
