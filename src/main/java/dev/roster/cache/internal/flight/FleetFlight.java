package dev.roster.cache.internal.flight;

import dev.roster.cache.CacheStatus;
import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.entry.Found;
import dev.roster.cache.internal.entry.LeaseRequest;
import dev.roster.cache.internal.entry.ResultCodec;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Single flight across the fleet: a per-key lease lets one instance compute a cold key while the others wait
 * for its entry. The lease is taken in the same round trip as a second read of the entry, because another
 * instance may have stored it since this caller's lookup; then that entry is served, or the value is computed
 * under the lease, or this caller waits for the instance that holds it. With the store failing, it computes
 * without a lease.
 */
@Singleton
public class FleetFlight {

    private final EntryStore store;
    private final ResultCodec codec;
    private final Computation computation;
    private final CacheMetrics metrics;
    private final RosterCacheConfig config;

    public FleetFlight(
            EntryStore store,
            ResultCodec codec,
            Computation computation,
            CacheMetrics metrics,
            RosterCacheConfig config) {
        this.store = store;
        this.codec = codec;
        this.computation = computation;
        this.metrics = metrics;
        this.config = config;
    }

    /** The leader of this process's flight for the key: serves, computes or waits, as above. */
    public Uni<Flight> lead(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        return lead(l, stamp, loader, deadline());
    }

    /**
     * Takes the lease with a second read of the entry: serves that entry, or computes under the lease, or waits
     * for the holder until {@code deadline}.
     */
    private Uni<Flight> lead(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader, long deadline) {
        String token = UUID.randomUUID().toString();
        return store.lookup(l, LeaseRequest.take(token))
                .onFailure()
                .recoverWithNull()
                .chain(found -> {
                    if (found == null) {
                        return computation.run(l, stamp, loader, null);
                    }
                    String mine = found.leaseTaken() ? token : null;
                    return validHit(l, found).chain(stored -> {
                        if (stored != null) {
                            metrics.leaseLateHit(l.cache());
                            return store.release(l, mine).replaceWith(stored);
                        }
                        return mine != null
                                ? computation.run(l, stamp, loader, mine)
                                : await(l, stamp, loader, deadline)
                                        .map(result -> new Flight(result, ResultCodec.shareable(result)));
                    });
                });
    }

    /**
     * Waits (polling with backoff) for the instance holding the lease to store the entry. When the lease is gone
     * without a valid entry (its holder died, could not store, or its lease expired), the lease is taken again,
     * with a second read of the entry, so that of all the callers waiting across the fleet one computes and the
     * others go on waiting for it (computing here without a lease would make every waiter a computation).
     * Computes here, without a lease, when the tags changed meanwhile, when the store fails, or after the
     * configured wait.
     */
    public Uni<Object> awaitOther(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        return await(l, stamp, loader, deadline());
    }

    private Uni<Object> await(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader, long deadline) {
        metrics.leaseWait(l.cache());
        return poll(l, stamp, deadline, config.leasePollMin()).chain(outcome -> {
            if (outcome.served() != null) {
                return Uni.createFrom().item(outcome.served().result());
            }
            return outcome.leaseFree()
                    ? lead(l, stamp, loader, deadline).map(Flight::result)
                    : computation.run(l, stamp, loader, null).map(Flight::result);
        });
    }

    private long deadline() {
        return System.nanoTime() + config.leaseWait().toNanos();
    }

    /**
     * What ended a wait: the other instance's entry ({@code served}, wrapped: a cached absence is a null result),
     * or its lease gone without one ({@code leaseFree}), or neither (give up and compute).
     */
    private record Waited(Flight served, boolean leaseFree) {

        static final Waited GIVE_UP = new Waited(null, false);
        static final Waited LEASE_FREE = new Waited(null, true);
    }

    /**
     * Checks until the other instance's entry is there or its lease is gone. A failed check, or a failed read of
     * an entry that is there, is retried while the circuit stays closed (one slow answer must not start a
     * second computation); with the store gone, the caller computes at once.
     */
    private Uni<Waited> poll(Lookup l, Stamp stamp, long deadline, Duration pause) {
        return Uni.createFrom()
                .nullItem()
                .onItem()
                .delayIt()
                .by(pause)
                .chain(() -> store.lookup(l, LeaseRequest.check()))
                .onFailure()
                .recoverWithNull()
                .chain(found -> {
                    if (found != null && found.freshEntry(System.currentTimeMillis()) != null) {
                        return validHit(l, found).chain(served -> {
                            if (served != null) {
                                metrics.leaseServed(l.cache());
                                return Uni.createFrom().item(new Waited(served, false));
                            }
                            return next(l, stamp, deadline, pause, null);
                        });
                    }
                    return next(l, stamp, deadline, pause, found);
                });
    }

    /** After a check that served nothing: gives up, reports the lease free, or checks again after a pause. */
    private Uni<Waited> next(Lookup l, Stamp stamp, long deadline, Duration pause, Found found) {
        if (found == null && !store.circuitClosed()) {
            return Uni.createFrom().item(Waited.GIVE_UP);
        }
        if (found != null && !stamp.continuedBy(found.current())) {
            return Uni.createFrom().item(Waited.GIVE_UP);
        }
        if (System.nanoTime() - deadline > 0) {
            metrics.leaseTimeout(l.cache());
            return Uni.createFrom().item(Waited.GIVE_UP);
        }
        if (found != null && !found.leaseHeld()) {
            return Uni.createFrom().item(Waited.LEASE_FREE);
        }
        Duration next = pause.multipliedBy(2);
        return poll(l, stamp, deadline, next.compareTo(config.leasePollMax()) > 0 ? config.leasePollMax() : next);
    }

    /**
     * A hit on the entry that {@code found} holds, if it is valid and fresh (null otherwise or on failure). Not
     * a cache get of its own: the caller's lookup was already counted as a miss.
     */
    private Uni<Flight> validHit(Lookup l, Found found) {
        long now = System.currentTimeMillis();
        var entry = found.freshEntry(now);
        if (entry == null) {
            return Uni.createFrom().nullItem();
        }
        return codec.read(l, entry, CacheStatus.hit((entry.remainingMillis(now) + 999) / 1000))
                .map(result -> new Flight(result, true))
                .onFailure()
                .recoverWithNull();
    }
}
