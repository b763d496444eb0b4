package dev.roster.cache.internal.flight;

import dev.roster.cache.CacheStatus;
import dev.roster.cache.CachedBody;
import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.internal.entry.EntryDraft;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.entry.ResultCodec;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Computes a result and stores it under the stamp observed before computing. The stamp's absent keys are
 * created first (at fresh values), so that a write during the computation changes the stamp the entry is
 * stored with; if that fails, the result is served but not stored. The lease, when held, is released after
 * the entry is stored (or at once when there is nothing to store).
 */
@Singleton
public class Computation {

    private static final Logger LOG = Logger.getLogger(Computation.class);

    private final EntryStore store;
    private final ResultCodec codec;
    private final CacheMetrics metrics;
    private final RosterCacheConfig config;

    public Computation(EntryStore store, ResultCodec codec, CacheMetrics metrics, RosterCacheConfig config) {
        this.store = store;
        this.codec = codec;
        this.metrics = metrics;
        this.config = config;
    }

    /** Computes and stores under the lease {@code token} (null: no lease held). */
    public Uni<Flight> run(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader, String token) {
        return store.complete(l, stamp, longestKeep(l))
                .onFailure()
                .recoverWithNull()
                .chain(complete -> {
                    long start = System.nanoTime();
                    return metrics.computing(l, loader)
                            .onFailure()
                            .invoke(() -> metrics.loadFailed(l.cache(), System.nanoTime() - start))
                            .onFailure()
                            .call(() -> store.release(l, token))
                            .chain(result -> {
                                long nanos = System.nanoTime() - start;
                                metrics.load(l.cache(), nanos);
                                return complete != null
                                        ? store(l, complete, result, nanos, token)
                                        : store.release(l, token).replaceWith(unstored(l, result));
                            });
                });
    }

    /**
     * The stamp with its missing keys created, as the store holds it now (a failure when they cannot be
     * created): from here on, a write changes it.
     */
    public Uni<Stamp> complete(Lookup l, Stamp stamp) {
        return store.complete(l, stamp, longestKeep(l));
    }

    private Uni<Flight> store(Lookup l, Stamp stamp, Object result, long nanos, String token) {
        if (ResultCodec.streamed(l, result)) {
            CachedBody body = (CachedBody) result;
            var chunks = store.storeStream(
                    l, draft(l, stamp, true, body.empty(), body.etag(), 0), body.chunks(), token, stored -> {
                        if (stored) {
                            metrics.put(l.cache());
                        } else {
                            metrics.error(l.cache(), "store");
                        }
                    });
            return Uni.createFrom().item(new Flight(body.withChunks(chunks).withStatus(CacheStatus.miss(true)), false));
        }
        ResultCodec.Whole whole = codec.whole(l, result);
        EntryDraft draft = draft(l, stamp, whole.present(), whole.empty(), whole.etag(), nanos / 1000);
        return metrics.storing(l, () -> store.store(l, draft, whole.bytes(), token))
                .map(stored -> {
                    if (stored) {
                        metrics.put(l.cache());
                        LOG.debugf("Stored %s (computed in %d ms)", l.trace(), nanos / 1_000_000);
                    } else {
                        metrics.error(l.cache(), "store");
                    }
                    return new Flight(ResultCodec.mark(l, result, CacheStatus.miss(stored)), true);
                });
    }

    private static Flight unstored(Lookup l, Object result) {
        Object marked = ResultCodec.mark(l, result, CacheStatus.miss(false));
        return new Flight(marked, ResultCodec.shareable(marked));
    }

    private EntryDraft draft(Lookup l, Stamp stamp, boolean present, boolean empty, String etag, long loadMicros) {
        long ttl = jittered(empty ? l.settings().emptyTtl() : l.settings().ttl());
        long keep = ttl + config.staleGrace().toMillis();
        return new EntryDraft(stamp, present, empty, etag, System.currentTimeMillis(), ttl, keep, loadMicros);
    }

    /** The longest an entry of {@code l} can be kept: its longest jittered TTL plus the stale grace. */
    private long longestKeep(Lookup l) {
        return Math.round(l.settings().ttl().toMillis() * (1 + config.jitter()))
                + config.staleGrace().toMillis();
    }

    private long jittered(Duration ttl) {
        double spread = config.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Math.max(1, Math.round(ttl.toMillis() * (1 + spread)));
    }
}
