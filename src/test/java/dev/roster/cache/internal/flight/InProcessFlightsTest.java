package dev.roster.cache.internal.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.CachedBody;
import dev.roster.cache.internal.entry.Found;
import dev.roster.cache.internal.entry.Stamp;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Callers of one in-process flight, each interleaving ordered by hand: no threads, no sleeps. A computation
 * held open by a future lets a test decide exactly when the flight ends relative to a caller's subscription.
 */
class InProcessFlightsTest {

    private final InProcessFlights flights = new InProcessFlights();
    private final AtomicInteger computations = new AtomicInteger();
    private final CompletableFuture<Flight> computation = new CompletableFuture<>();

    /** What a lookup of the store emits before a miss joins the flight (ResultCache chains on it). */
    private static final Found MISSED = new Found(new Stamp(1, new long[] {2}), null, false, false);

    private Supplier<Uni<Flight>> leader() {
        return () -> {
            computations.incrementAndGet();
            return Uni.createFrom().completionStage(computation);
        };
    }

    private Uni<Object> join(String key) {
        return flights.join(key, leader(), () -> Uni.createFrom().item("follower computed"), () -> {});
    }

    /**
     * A caller's chain as ResultCache builds it: the store's lookup emits a {@link Found}, and the miss joins the
     * flight inside {@code chain}. {@code whileSubscribing} runs while the subscription to the flight is still on
     * its way down that chain, which is where a completion from another thread can land in production.
     */
    private Uni<Object> caller(String key, Runnable whileSubscribing) {
        return Uni.createFrom().item(MISSED).chain(found -> {
            // The mapper takes the lookup's answer: were the flight's item handed to it, this cast would fail.
            Found lookedUp = found;
            return join(key)
                    .onSubscription()
                    .invoke(s -> whileSubscribing.run())
                    .map(v -> lookedUp == null ? null : v);
        });
    }

    @Test
    void shouldHandTheResultToALateCallerWhenTheFlightEndsWhileItsSubscriptionIsOnItsWay() {
        CachedBody body = CachedBody.of("{\"members\":[]}".getBytes(StandardCharsets.UTF_8), false);
        var first = caller("late", () -> {}).subscribe().withSubscriber(UniAssertSubscriber.create());
        var late = caller("late", () -> computation.complete(new Flight(body, true)))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create());
        // With Mutiny's memoize(), the late caller was registered for the item before its onSubscribe had
        // travelled down: the item overtook it, and the chain's mapper got the CachedBody instead of the Found
        // (ClassCastException: CachedBody cannot be cast to Found).
        assertSame(body, late.awaitItem().getItem());
        assertSame(body, first.awaitItem().getItem());
        assertEquals(1, computations.get());
    }

    @Test
    void shouldShareOneComputationAndForgetItOnceItEnded() {
        var first = join("shared").subscribe().withSubscriber(UniAssertSubscriber.create());
        var second = join("shared").subscribe().withSubscriber(UniAssertSubscriber.create());
        computation.complete(new Flight("v", true));
        assertEquals("v", first.awaitItem().getItem());
        assertEquals("v", second.awaitItem().getItem());
        assertEquals(1, computations.get());
        join("shared").subscribe().withSubscriber(UniAssertSubscriber.create());
        assertEquals(2, computations.get(), "a caller after the flight ended starts another");
    }

    @Test
    void shouldRunTheFollowerWhenTheResultIsAStreamOnlyTheLeaderCanRead() {
        var leader = join("stream").subscribe().withSubscriber(UniAssertSubscriber.create());
        var follower = join("stream").subscribe().withSubscriber(UniAssertSubscriber.create());
        CachedBody body = CachedBody.streamed(Multi.createFrom().item(Buffer.buffer("x")), false);
        computation.complete(new Flight(body, false));
        assertSame(body, leader.awaitItem().getItem());
        assertEquals("follower computed", follower.awaitItem().getItem());
    }

    @Test
    void shouldReadAStreamedResultToItsEndWhenItsOnlyCallerLeftBeforeItWasReady() {
        AtomicBoolean read = new AtomicBoolean();
        CachedBody body = CachedBody.streamed(
                Multi.createFrom()
                        .items(Buffer.buffer("a"), Buffer.buffer("b"))
                        .onCompletion()
                        .invoke(() -> read.set(true)),
                false);
        var leader = join("left").subscribe().withSubscriber(UniAssertSubscriber.create());
        leader.cancel();
        assertFalse(read.get());
        computation.complete(new Flight(body, false));
        // Read to its end, the stream's tee stores the entry and releases the fleet lease (Computation), so
        // that other instances waiting for it get the entry rather than a lease that only expires.
        assertTrue(read.get(), "the abandoned stream was drained");
    }
}
