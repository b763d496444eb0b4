package dev.roster.health;

import dev.roster.config.MongoIndexes;
import dev.roster.membership.repository.MemberRepository;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when MongoDB answers and the indexes exist; checked without blocking. */
@Readiness
@ApplicationScoped
public class MongoReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MemberRepository repository;
    private final MongoIndexes indexes;

    public MongoReadiness(MemberRepository repository, MongoIndexes indexes) {
        this.repository = repository;
        this.indexes = indexes;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return repository
                .ping()
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .map(ok -> HealthCheckResponse.named("mongodb")
                        .status(indexes.ready())
                        .withData("indexes", indexes.ready())
                        .build())
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named("mongodb")
                        .down()
                        .withData("error", "unreachable")
                        .build());
    }
}
