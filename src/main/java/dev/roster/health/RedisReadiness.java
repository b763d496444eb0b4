package dev.roster.health;

import dev.roster.cache.CacheHealth;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Reports the cache's Redis state; always UP, because without Redis Roster is slower, never broken. */
@Readiness
@ApplicationScoped
public class RedisReadiness implements AsyncHealthCheck {

    private final CacheHealth cache;

    public RedisReadiness(CacheHealth cache) {
        this.cache = cache;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .item(HealthCheckResponse.named("redis-cache")
                        .up()
                        .withData("circuit", cache.circuit())
                        .withData("mode", cache.available() ? "caching" : "degraded: serving from MongoDB")
                        .build());
    }
}
