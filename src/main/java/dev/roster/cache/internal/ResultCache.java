package dev.roster.cache.internal;

import dev.roster.cache.CacheStatus;
import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.entry.Found;
import dev.roster.cache.internal.entry.LeaseRequest;
import dev.roster.cache.internal.entry.ResultCodec;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.flight.Computation;
import dev.roster.cache.internal.flight.FleetFlight;
import dev.roster.cache.internal.flight.Flight;
import dev.roster.cache.internal.flight.InProcessFlights;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.cache.internal.near.NearCache;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The decorator itself: look in the store, else compute and store; done so that
 *
 * <ul>
 *   <li>a hit costs one round trip (entry and stamp together) and entries are only accepted with the current
 *       stamp;
 *   <li>a cold key is computed once: concurrent callers in this process share one computation, and across
 *       the fleet a lease lets one instance compute while the others wait for its entry ({@link FleetFlight});
 *   <li>a hot key is recomputed in the background shortly before it expires ({@link Background});
 *   <li>when computing fails, an expired (never an invalidated) copy is served as stale;
 *   <li>no connection is held while computing, failures are never stored, store errors are misses.
 * </ul>
 */
@Singleton
public class ResultCache {

    private static final Logger LOG = Logger.getLogger(ResultCache.class);

    private final EntryStore store;
    private final Evictions evictions;
    private final ResultCodec codec;
    private final InProcessFlights flights;
    private final FleetFlight fleet;
    private final Computation computation;
    private final Background background;
    private final NearCache near;
    private final CacheMetrics metrics;

    public ResultCache(
            EntryStore store,
            Evictions evictions,
            ResultCodec codec,
            InProcessFlights flights,
            FleetFlight fleet,
            Computation computation,
            Background background,
            NearCache near,
            CacheMetrics metrics) {
        this.store = store;
        this.evictions = evictions;
        this.codec = codec;
        this.flights = flights;
        this.fleet = fleet;
        this.computation = computation;
        this.background = background;
        this.near = near;
        this.metrics = metrics;
    }

    public Uni<Object> get(Lookup l, Supplier<Uni<Object>> loader) {
        return metrics.lookup(l, () -> serve(l, loader));
    }

    private Uni<Object> serve(Lookup l, Supplier<Uni<Object>> loader) {
        if (!l.settings().enabled()) {
            metrics.bypass(l.cache());
            long start = System.nanoTime();
            return loader.get()
                    .onItemOrFailure()
                    .invoke((v, failure) -> timed(l, start, failure))
                    .map(v -> ResultCodec.mark(l, v, CacheStatus.bypass("disabled")));
        }
        if (!store.available()) {
            return withoutStore(l, loader);
        }
        if (evictions.settled()) {
            return lookup(l, loader);
        }
        return evictions.readyForReads().chain(ready -> ready ? lookup(l, loader) : withoutStore(l, loader));
    }

    private void timed(Lookup l, long start, Throwable failure) {
        if (failure == null) {
            metrics.load(l.cache(), System.nanoTime() - start);
        } else {
            metrics.loadFailed(l.cache(), System.nanoTime() - start);
        }
    }

    /** The store unavailable: compute, still once per key in this process for callers arriving together. */
    private Uni<Object> withoutStore(Lookup l, Supplier<Uni<Object>> loader) {
        metrics.fallback(l.cache());
        // No stamp can tell a computation that started before a write of this instance: the count of its
        // evictions does, so a read after a local write never joins a computation from before it.
        String flightKey = l.id() + "|without-store|" + evictions.localWrites();
        Supplier<Uni<Flight>> compute = () -> {
            long start = System.nanoTime();
            return loader.get()
                    .onItemOrFailure()
                    .invoke((v, failure) -> timed(l, start, failure))
                    .map(v -> new Flight(v, ResultCodec.shareable(v)));
        };
        return flights.join(flightKey, compute, loader, () -> metrics.coalesced(l.cache()))
                .map(v -> ResultCodec.mark(l, v, CacheStatus.bypass("redis-unavailable")));
    }

    private Uni<Object> lookup(Lookup l, Supplier<Uni<Object>> loader) {
        Entry local = near.entry(l);
        long now = System.currentTimeMillis();
        if (local != null && local.remainingMillis(now) > 0) {
            metrics.hit(l.cache());
            return codec.read(l, local, CacheStatus.nearHit((local.remainingMillis(now) + 999) / 1000));
        }
        long sequence = near.sequence();
        return store.lookup(l, LeaseRequest.NONE)
                .onItemOrFailure()
                .transformToUni((found, failure) ->
                        failure == null ? found(l, sequence, found, loader) : afterFailedLookup(l, sequence, loader));
    }

    private Uni<Object> found(Lookup l, long sequence, Found found, Supplier<Uni<Object>> loader) {
        near.remember(l, sequence, found.current(), found.entry());
        return answer(l, found, loader);
    }

    /**
     * A lookup that failed while the circuit is still closed (one command timed out on a starved machine, the
     * rest answered) is sent once more before the caller computes alone: computing alone leaves the fleet's
     * single flight, which costs a MongoDB load per caller.
     */
    private Uni<Object> afterFailedLookup(Lookup l, long sequence, Supplier<Uni<Object>> loader) {
        metrics.error(l.cache(), "lookup");
        if (!store.circuitClosed()) {
            return withoutStore(l, loader);
        }
        return store.lookup(l, LeaseRequest.NONE).onItemOrFailure().transformToUni((found, failure) -> {
            if (failure != null) {
                metrics.error(l.cache(), "lookup");
                return withoutStore(l, loader);
            }
            return found(l, sequence, found, loader);
        });
    }

    /** A hit on a valid fresh entry; else a miss (with the expired copy, if any, for stale-if-error). */
    private Uni<Object> answer(Lookup l, Found found, Supplier<Uni<Object>> loader) {
        Entry entry = found.entry();
        long at = System.currentTimeMillis();
        if (entry == null || entry.remainingMillis(at) <= 0) {
            return miss(l, found.current(), loader, entry);
        }
        background.maybeRefresh(l, found.current(), entry, at, loader);
        background.maybeAudit(l, found.current(), entry, loader);
        CacheStatus status = CacheStatus.hit((entry.remainingMillis(at) + 999) / 1000);
        Object inHand = codec.inHand(l, entry, status);
        if (inHand != null) {
            metrics.hit(l.cache());
            return Uni.createFrom().item(inHand);
        }
        return codec.read(l, entry, status)
                .invoke(() -> metrics.hit(l.cache()))
                .onFailure()
                .recoverWithUni(e -> {
                    metrics.error(l.cache(), "read");
                    return miss(l, found.current(), loader, null);
                });
    }

    private Uni<Object> shared(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        return flights.join(
                l.id() + "|" + stamp,
                () -> fleet.lead(l, stamp, loader),
                () -> fleet.awaitOther(l, stamp, loader),
                () -> metrics.coalesced(l.cache()));
    }

    /** A miss: computed once per key (process and fleet); an expired copy, if any, answers when that fails. */
    private Uni<Object> miss(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader, Entry expired) {
        metrics.miss(l.cache());
        // Callers share a computation only under a complete stamp: two observations of a missing key are not the
        // same state (a write in between changes nothing a stamp can see). So the missing keys are created first
        // and the flight is keyed by the stamp as it is then; if they cannot be, this caller leads on its own.
        Uni<Object> computed = stamp.complete()
                ? shared(l, stamp, loader)
                : computation
                        .complete(l, stamp)
                        .onFailure()
                        .recoverWithNull()
                        .chain(complete -> complete == null
                                ? fleet.lead(l, stamp, loader).map(Flight::result)
                                : shared(l, complete, loader));
        return computed.onFailure().recoverWithUni(failure -> {
            if (expired == null) {
                return Uni.createFrom().failure(failure);
            }
            metrics.stale(l.cache());
            LOG.warnf(
                    "Serving an expired copy of %s: computing it failed (%s)",
                    l.trace(), failure.getClass().getSimpleName());
            long age = (expired.remainingMillis(System.currentTimeMillis()) - 999) / 1000;
            return codec.read(l, expired, CacheStatus.stale(age));
        });
    }
}
