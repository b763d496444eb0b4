package dev.roster.health;

import dev.roster.membership.repository.MongoIndexes;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MongoDB's state for readiness, always UP: with MongoDB down this pod still answers (cached copies,
 * stale-if-error, 503 with Retry-After), and a shared outage must not take every pod out of the Service. The
 * data says whether MongoDB answered within {@link HealthConfig#mongoTimeout()} and whether both indexes
 * exist; a missing index is re-created in the background (a MongoDB that came back empty lost them). The last
 * answer is kept for the gauge {@code roster_mongodb_reachable} ({@link HealthGauges}), so that alerting costs
 * MongoDB nothing beyond the probe's own check.
 */
@Readiness
@ApplicationScoped
public class MongoReadiness implements AsyncHealthCheck {

    static final String NAME = "mongodb";

    private final MongoIndexes indexes;
    private final HealthConfig config;
    /** 1 when the last check reached MongoDB, 0 when it did not, NaN before the first check. */
    private volatile double reachable = Double.NaN;

    public MongoReadiness(MongoIndexes indexes, HealthConfig config) {
        this.indexes = indexes;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return indexes.verify()
                .ifNoItem()
                .after(config.mongoTimeout())
                .fail()
                .invoke(() -> reachable = 1)
                .map(present -> HealthCheckResponse.named(NAME)
                        .up()
                        .withData("state", "reachable")
                        .withData("indexes", present && indexes.ready())
                        .build())
                .onFailure()
                .invoke(() -> reachable = 0)
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named(NAME)
                        .up()
                        .withData("state", "unreachable")
                        .withData("indexes", "unknown")
                        .build());
    }

    /** What the last check found: 1 reachable, 0 unreachable, NaN while no check has run. */
    double reachable() {
        return reachable;
    }
}
