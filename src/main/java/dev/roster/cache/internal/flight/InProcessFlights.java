package dev.roster.cache.internal.flight;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Concurrent callers of one flight key in this process share one computation, failure included. The key says
 * what makes two callers interchangeable (the entry and the stamp they observed): a caller that observed a
 * newer stamp never joins a computation that started before it.
 */
@ApplicationScoped
public class InProcessFlights {

    private final Map<String, Uni<Flight>> flights = new ConcurrentHashMap<>();

    /**
     * Runs {@code leader} for the first caller of {@code key}; later callers get its flight, or (for a result
     * that cannot be shared) run {@code follower}. {@code joined} runs for each caller that joined.
     */
    public Uni<Object> join(String key, Supplier<Uni<Flight>> leader, Supplier<Uni<Object>> follower, Runnable joined) {
        Uni<Flight> mine = Uni.createFrom().deferred(leader::get).memoize().indefinitely();
        Uni<Flight> existing = flights.putIfAbsent(key, mine);
        if (existing != null) {
            joined.run();
            return existing.chain(f -> f.shareable() ? Uni.createFrom().item(f.result()) : follower.get());
        }
        return mine.eventually(() -> flights.remove(key, mine)).map(Flight::result);
    }
}
