package dev.roster.health;

import dev.roster.membership.repository.MongoIndexes;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once MongoDB has answered and the indexes exist ({@link MongoIndexes} creates them at start, retrying
 * until MongoDB answers): DOWN until then, UP for good after, whatever MongoDB does later. A pod that never
 * reached MongoDB cannot promise unique names; one that did keeps serving through later outages.
 */
@Startup
@ApplicationScoped
public class MongoStartup implements AsyncHealthCheck {

    static final String NAME = "mongodb-indexes";

    private final MongoIndexes indexes;
    private final AtomicBoolean started = new AtomicBoolean();

    public MongoStartup(MongoIndexes indexes) {
        this.indexes = indexes;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (indexes.ready()) {
            started.set(true);
        }
        var response = HealthCheckResponse.named(NAME).status(started.get());
        if (!started.get()) {
            response.withData("waiting-for", "MongoDB to answer and its indexes to be created");
        }
        return Uni.createFrom().item(response.build());
    }
}
