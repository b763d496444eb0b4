package dev.roster.cache.internal.flight;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Concurrent callers of one flight key in this process share one computation, failure included. The key says
 * what makes two callers interchangeable (the entry and the stamp they observed): a caller that observed a
 * newer stamp never joins a computation that started before it.
 *
 * <p>The computation is started by its first caller and runs to its end whoever stays (as it did when shared
 * through {@code memoize()}, which never cancels its upstream); it completes a future, and each caller gets
 * the result through its own emitter. Not {@code memoize()}: that operator registers a late subscriber for the
 * item before it calls the subscriber's {@code onSubscribe}, so an item from another thread can overtake the
 * subscription, and {@code chain}/{@code recoverWithUni} then take the inner item for the outer one
 * ({@code ClassCastException: CachedBody cannot be cast to Found}). An emitter calls {@code onSubscribe}
 * before it can emit anything.
 */
@Singleton
public class InProcessFlights {

    private final Map<String, CompletableFuture<Flight>> flights = new ConcurrentHashMap<>();

    /**
     * Runs {@code leader} for the first caller of {@code key}; later callers get its flight, or (for a result
     * that cannot be shared) run {@code follower}. {@code joined} runs for each caller that joined. A result
     * that only the first caller could read (a stream) is abandoned ({@link Flight#abandon}) when that caller
     * left before it was ready.
     */
    public Uni<Object> join(String key, Supplier<Uni<Flight>> leader, Supplier<Uni<Object>> follower, Runnable joined) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Flight> mine = new CompletableFuture<>();
            CompletableFuture<Flight> existing = flights.putIfAbsent(key, mine);
            if (existing != null) {
                joined.run();
                return received(existing, false)
                        .chain(f -> f.shareable() ? Uni.createFrom().item(f.result()) : follower.get());
            }
            start(key, mine, leader);
            return received(mine, true).map(Flight::result);
        });
    }

    private void start(String key, CompletableFuture<Flight> flight, Supplier<Uni<Flight>> leader) {
        Uni<Flight> computing;
        try {
            computing = leader.get();
        } catch (RuntimeException e) {
            computing = Uni.createFrom().failure(e);
        }
        computing
                .subscribe()
                .with(
                        f -> {
                            flights.remove(key, flight);
                            flight.complete(f);
                        },
                        failure -> {
                            flights.remove(key, flight);
                            flight.completeExceptionally(failure);
                        });
    }

    /**
     * The flight's outcome for one caller, emitted only after that caller's {@code onSubscribe}. For the first
     * caller ({@code reads}), a result the caller never received (it cancelled first) is abandoned once ready.
     */
    private static Uni<Flight> received(CompletableFuture<Flight> flight, boolean reads) {
        AtomicBoolean delivered = new AtomicBoolean();
        return Uni.createFrom()
                .<Flight>emitter(emitter -> {
                    if (reads) {
                        emitter.onTermination(() -> {
                            if (!delivered.get()) {
                                flight.thenAccept(Flight::abandon);
                            }
                        });
                    }
                    flight.whenComplete((f, failure) -> {
                        if (failure != null) {
                            emitter.fail(failure);
                        } else {
                            emitter.complete(f);
                        }
                    });
                })
                .invoke(() -> delivered.set(true));
    }
}
