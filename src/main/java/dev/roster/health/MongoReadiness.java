package dev.roster.health;

import dev.roster.config.MongoIndexes;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when MongoDB answers and both indexes exist (re-created if they vanished); checked without blocking. */
@Readiness
@ApplicationScoped
public class MongoReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MongoIndexes indexes;

    public MongoReadiness(MongoIndexes indexes) {
        this.indexes = indexes;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return indexes.verify()
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .map(present -> HealthCheckResponse.named("mongodb")
                        .status(present && indexes.ready())
                        .withData("indexes", present && indexes.ready())
                        .build())
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("mongodb")
                        .down()
                        .withData("error", "unreachable")
                        .build());
    }
}
