package dev.roster.config;

import dev.roster.membership.repository.MemberRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Creates the MongoDB indexes at start-up without blocking it: retried in the background until MongoDB
 * answers; readiness stays DOWN until they exist.
 */
@ApplicationScoped
public class MongoIndexes {

    private static final Logger LOG = Logger.getLogger(MongoIndexes.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    private final MemberRepository repository;
    private final AtomicBoolean ready = new AtomicBoolean();

    public MongoIndexes(MemberRepository repository) {
        this.repository = repository;
    }

    void onStart(@Observes StartupEvent event) {
        repository
                .createIndexes()
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "MongoDB indexes not created yet (%s); retrying",
                        e.getClass().getSimpleName()))
                .onFailure()
                .retry()
                .withBackOff(RETRY_DELAY)
                .indefinitely()
                .subscribe()
                .with(v -> {
                    ready.set(true);
                    LOG.info("MongoDB indexes are in place");
                });
    }

    public boolean ready() {
        return ready.get();
    }
}
