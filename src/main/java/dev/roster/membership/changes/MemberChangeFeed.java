package dev.roster.membership.changes;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;
import dev.roster.cache.ChangeFeedCache;
import dev.roster.membership.config.ChangeFeedConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Evicts what every change of the members collection may have changed, whoever made it (this API on any
 * instance, another service, a script), by following MongoDB's change stream. The writing instance's own
 * eviction stays the fast path; this is the path that a failed or partitioned Redis connection, a lost reply
 * or a restart of the writer cannot lose.
 *
 * <p>Every instance follows the stream: no election, and an instance cut from Redis changes nothing for the
 * others. Each change is applied to Redis before the position moves past it; the position is saved in Redis,
 * beside what it protects, so a fleet that restarts resumes where it stopped (a Redis restored from an older
 * snapshot holds an older position, and the changes since are replayed). When the stream cannot resume (its
 * history is gone) or no position is known, every entry is made unreachable before following from now: never a
 * silent gap. What each change evicts: {@link ChangeRules}.
 *
 * <p>The stream is read on one dedicated thread with the synchronous driver, never on an event loop: a read
 * waits for data up to {@link ChangeFeedConfig#maxAwait()} on MongoDB, and a server that answers at once (the
 * development wire-protocol server) is read again after {@link ChangeFeedConfig#idlePause()}, which the reactive
 * driver's stream cannot do (it asks again at once, in a busy loop).
 */
@ApplicationScoped
public class MemberChangeFeed {

    private static final Logger LOG = Logger.getLogger(MemberChangeFeed.class);
    private static final Duration SAVE_EVERY = Duration.ofMillis(100);

    /** What the feed is doing, for readiness and the {@code roster.changes.following} gauge. */
    public enum State {
        STARTING,
        FOLLOWING,
        UNSUPPORTED,
        FAILING,
        OFF
    }

    private final MongoClient mongo;
    private final ChangeFeedCache cache;
    private final ChangeFeedConfig config;
    private final String database;
    private final ChangeApplier applier;
    private volatile State state = State.OFF;
    private volatile boolean stopping;
    private volatile boolean preImages;
    private volatile Thread thread;
    /** Counted down once the stream is open (after any eviction of everything), or the feed failed. */
    private final CountDownLatch started = new CountDownLatch(1);
    /** Where the stream is followed from: every change before it has been applied (only the feed's thread). */
    private String position;

    public MemberChangeFeed(
            MongoClient mongo,
            ChangeFeedCache cache,
            ChangeFeedConfig config,
            MeterRegistry registry,
            @ConfigProperty(name = "quarkus.mongodb.database", defaultValue = "roster") String database) {
        this.mongo = mongo;
        this.cache = cache;
        this.config = config;
        this.database = database;
        this.preImages = config.preImages();
        this.applier = new ChangeApplier(cache, config, registry, () -> stopping);
        Gauge.builder("roster.changes.following", this, f -> f.state == State.FOLLOWING ? 1 : 0)
                .description("1 while this instance follows MongoDB's change stream, 0 otherwise (see readiness)")
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("The change feed is off (roster.change-feed.enabled=false): changes made outside this API, and"
                    + " evictions this instance cannot deliver, wait for their entries' TTL");
            return;
        }
        state = State.STARTING;
        Thread t = new Thread(this::run, "roster-change-feed");
        t.setDaemon(true);
        thread = t;
        t.start();
        try {
            // Start-up runs on the main thread, never an event loop: waiting here delays serving, nothing else.
            if (!started.await(config.startWait().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("The change feed did not open within %s; serving meanwhile", config.startWait());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    public State state() {
        return state;
    }

    private void run() {
        try {
            boolean read = false;
            while (!stopping) {
                try {
                    if (!read) {
                        position = ChangeApplier.awaitCache(cache.position());
                        read = true;
                    }
                    follow();
                } catch (MongoCommandException e) {
                    onCommandFailure(e);
                } catch (RuntimeException e) {
                    failing(e);
                    pause(config.retry());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Follows the stream from {@link #position} (from now when null) until stopped, moving the position past each
     * change once it is applied, and past empty reads (the server's resume token for "nothing more so far").
     */
    private void follow() throws InterruptedException {
        var watch = mongo.getDatabase(database)
                .getCollection("members")
                .watch()
                .fullDocument(FullDocument.UPDATE_LOOKUP)
                .maxAwaitTime(config.maxAwait().toMillis(), TimeUnit.MILLISECONDS);
        if (preImages) {
            watch = watch.fullDocumentBeforeChange(FullDocumentBeforeChange.WHEN_AVAILABLE);
        }
        if (position != null) {
            watch = watch.resumeAfter(BsonDocument.parse(position));
        }
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> c = watch.cursor()) {
            if (position == null) {
                // No position (first start, Redis lost it, history gone): follow from now, with every entry made
                // unreachable once the stream is open, so that nothing changed before it can be served.
                applier.everything("no position to resume the change stream from");
            }
            following();
            String saved = position;
            long savedAt = System.nanoTime();
            while (!stopping) {
                ChangeStreamDocument<Document> change = c.tryNext();
                boolean idle = change == null;
                if (!idle) {
                    String outcome = apply(ChangeEvent.of(change));
                    if (outcome == null) {
                        return; // stopping: the position stays before the change that was not applied
                    }
                    if (ChangeApplier.EVERYTHING.equals(outcome)) {
                        skipCovered(c);
                    }
                }
                if (c.getResumeToken() != null) {
                    position = c.getResumeToken().toJson();
                }
                // Saved when the stream is idle, and at least every SAVE_EVERY while it is busy (a restart
                // replays at most that much, which is harmless): a bulk import costs no extra command per change.
                if (position != null
                        && !position.equals(saved)
                        && (idle || System.nanoTime() - savedAt > SAVE_EVERY.toNanos())) {
                    ChangeApplier.awaitCache(cache.savePosition(position));
                    saved = position;
                    savedAt = System.nanoTime();
                }
                if (idle) {
                    pause(config.idlePause());
                }
            }
        }
    }

    private void onCommandFailure(MongoCommandException e) throws InterruptedException {
        StreamFailure failure = StreamFailure.of(e.getErrorCode());
        if (failure == StreamFailure.UNKNOWN_OPTION && preImages) {
            preImages = false;
            LOG.infof(
                    "MongoDB does not offer pre-images to change streams (%s): following without them",
                    e.getErrorCodeName());
            return;
        }
        if (failure == StreamFailure.UNSUPPORTED) {
            if (state != State.UNSUPPORTED) {
                LOG.warnf(
                        "MongoDB has no change stream (a standalone server?): changes made outside this API, and"
                                + " evictions this instance cannot deliver to Redis, wait for their entries' TTL. Run a"
                                + " replica set. (%s)",
                        e.getErrorCodeName());
            }
            state = State.UNSUPPORTED;
            started.countDown();
            pause(config.unsupportedRetry());
            return;
        }
        if (failure == StreamFailure.HISTORY_LOST && position != null) {
            LOG.warnf(
                    "The change stream cannot resume where it stopped (%s): following from now, every entry evicted",
                    e.getErrorCodeName());
            position = null;
            return;
        }
        failing(e);
        pause(config.retry());
    }

    /**
     * Applies one change to Redis, retrying until Redis took it: a change is never skipped. Returns how it was
     * resolved; null only when the feed stops first.
     */
    private String apply(ChangeEvent event) throws InterruptedException {
        while (!stopping) {
            try {
                return applier.apply(event);
            } catch (ChangeApplier.CacheUnavailable e) {
                failing(e);
                pause(config.retry());
            }
        }
        return null;
    }

    /**
     * After every entry was made unreachable, the changes already in hand (the rest of the batch MongoDB returned)
     * were committed before it: every entry computed from now on reflects them, so they need nothing more. A
     * backlog of such changes (replayed after an outage, or a burst of writes outside the API) costs one
     * eviction of everything, not one per change.
     */
    private void skipCovered(MongoChangeStreamCursor<ChangeStreamDocument<Document>> c) {
        int covered = 0;
        while (c.available() > 0 && c.tryNext() != null) {
            covered++;
        }
        if (covered > 0) {
            applier.count("covered", covered);
        }
    }

    private void following() {
        started.countDown();
        if (state != State.FOLLOWING) {
            LOG.infof(
                    "Following MongoDB's change stream of %s.members%s",
                    database, preImages ? " (pre-images when the collection keeps them)" : "");
        }
        state = State.FOLLOWING;
    }

    private void failing(Exception e) {
        started.countDown();
        if (stopping) {
            return;
        }
        if (state != State.FAILING) {
            LOG.warnf(
                    "The change stream stopped (%s); retrying every %s, changes are kept",
                    StreamFailure.describe(e), config.retry());
        }
        state = State.FAILING;
    }

    private void pause(Duration d) {
        if (stopping) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
