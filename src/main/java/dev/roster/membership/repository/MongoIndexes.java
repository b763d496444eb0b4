package dev.roster.membership.repository;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Creates the MongoDB indexes at start-up without blocking it: retried in the background until MongoDB
 * answers; the startup check stays DOWN until they exist, and readiness re-creates them if they disappear (a
 * MongoDB that came back empty), so that uniqueness of names never silently lapses.
 */
@ApplicationScoped
public class MongoIndexes {

    private static final Logger LOG = Logger.getLogger(MongoIndexes.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(2);
    /** Mutiny's back-off has no ceiling by default; after a long outage the next try must still come soon. */
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(10);

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
                .withBackOff(RETRY_DELAY, MAX_RETRY_DELAY)
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

    /** Checks that the indexes still exist; re-creates them (in the background) when they do not. */
    public Uni<Boolean> verify() {
        return repository.indexesPresent().invoke(present -> {
            if (!present && ready.compareAndSet(true, false)) {
                LOG.warn("MongoDB indexes are missing; re-creating them");
                onStart(null);
            }
        });
    }
}
