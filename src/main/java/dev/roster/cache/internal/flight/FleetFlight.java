package dev.roster.cache.internal.flight;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.entry.Found;
import dev.roster.cache.internal.entry.LeaseRequest;
import dev.roster.cache.internal.entry.ResultCodec;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
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
@ApplicationScoped
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
                                : awaitOther(l, stamp, loader)
                                        .map(result -> new Flight(result, ResultCodec.shareable(result)));
                    });
                });
    }

    /**
     * Waits (polling with backoff) for the instance holding the lease to store the entry; computes here when
     * the lease is gone without a valid entry, when the tags changed meanwhile, or after the configured wait.
     */
    public Uni<Object> awaitOther(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        metrics.leaseWait(l.cache());
        long deadline = System.nanoTime() + config.leaseWait().toNanos();
        return poll(l, stamp, deadline, config.leasePollMin())
                .chain(found -> found != null
                        ? Uni.createFrom().item(found.result())
                        : computation.run(l, stamp, loader, null).map(Flight::result));
    }

    /**
     * The other instance's entry once it is there (wrapped: a cached absence is a null result), else null. A
     * failed check is retried while the circuit stays closed (one slow answer must not start a second
     * computation); with the store gone, the caller computes at once.
     */
    private Uni<Flight> poll(Lookup l, Stamp stamp, long deadline, Duration pause) {
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
                        return validHit(l, found).invoke(served -> {
                            if (served != null) {
                                metrics.leaseServed(l.cache());
                            }
                        });
                    }
                    boolean transientError = found == null && store.circuitClosed();
                    if (!transientError
                            && (found == null || !found.leaseHeld() || !stamp.continuedBy(found.current()))) {
                        return Uni.createFrom().nullItem();
                    }
                    if (System.nanoTime() - deadline > 0) {
                        metrics.leaseTimeout(l.cache());
                        return Uni.createFrom().nullItem();
                    }
                    Duration next = pause.multipliedBy(2);
                    return poll(
                            l,
                            stamp,
                            deadline,
                            next.compareTo(config.leasePollMax()) > 0 ? config.leasePollMax() : next);
                });
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
        return codec.hit(l, entry, now)
                .map(result -> new Flight(result, true))
                .onFailure()
                .recoverWithNull();
    }
}
