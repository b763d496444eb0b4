package dev.roster.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.cache.CachedResult;
import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.LeaseRequest;
import dev.roster.cache.internal.entry.ResultCodec;
import dev.roster.cache.internal.flight.Computation;
import dev.roster.cache.internal.flight.FleetFlight;
import dev.roster.cache.internal.flight.InProcessFlights;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.cache.internal.near.NearCache;
import dev.roster.cache.internal.plan.Lookup;
import dev.roster.cache.internal.plan.MethodPlan;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The caching rules against an in-memory store, one interleaving per test: no servers, no sleeps; each race
 * is made to happen exactly where it matters by the store's hooks or by a computation held open.
 */
class CacheRulesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Lookup.Settings SETTINGS =
            new Lookup.Settings(true, Duration.ofSeconds(30), Duration.ofSeconds(15));

    /** The method whose results the tests cache. */
    static class Subject {
        @CachedResult(cache = "rules", tags = "thing:{id}")
        public Uni<String> read(String id) {
            return Uni.createFrom().nullItem();
        }
    }

    private final InMemoryEntryStore store = new InMemoryEntryStore();
    private final RosterCacheConfig config = config();
    private final NearCache near = NearCache.off();
    private final CacheMetrics metrics = new CacheMetrics(new SimpleMeterRegistry());
    private final ResultCodec codec = new ResultCodec(store, new ObjectMapper());
    private final Computation computation = new Computation(store, codec, metrics, config);
    private final Evictions evictions = new Evictions(store, metrics, near, config);
    private final ResultCache cache = new ResultCache(
            store,
            evictions,
            codec,
            new InProcessFlights(),
            new FleetFlight(store, codec, computation, metrics, config),
            computation,
            new Background(store, codec, computation, metrics, config),
            near,
            metrics);

    /** What the database holds, and how often it was read. */
    private final AtomicReference<String> source = new AtomicReference<>("v1");

    private final AtomicInteger loads = new AtomicInteger();

    private static RosterCacheConfig config() {
        return new SmallRyeConfigBuilder()
                .withMapping(RosterCacheConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(
                        Map.of("roster.cache.jitter", "0", "roster.cache.early-refresh", "0"), "rules", 500))
                .build()
                .getConfigMapping(RosterCacheConfig.class);
    }

    private static Lookup lookup(String id) {
        try {
            MethodPlan plan = MethodPlan.forResult(Subject.class.getMethod("read", String.class));
            return Lookup.of(plan, SETTINGS, new Object[] {id});
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tag tag(String id) {
        return Tag.of("thing", id);
    }

    /** Reads the source when subscribed. */
    private Supplier<Uni<Object>> loader() {
        return () -> Uni.createFrom().item(() -> {
            loads.incrementAndGet();
            return source.get();
        });
    }

    /** Reads the source when subscribed, then waits for {@code gate} before answering. */
    private Supplier<Uni<Object>> heldLoader(CompletableFuture<Void> gate) {
        return () -> Uni.createFrom()
                .item(() -> {
                    loads.incrementAndGet();
                    return source.get();
                })
                .chain(v -> Uni.createFrom().completionStage(gate).replaceWith(v));
    }

    private Object get(Lookup l) {
        return cache.get(l, loader()).await().atMost(WAIT);
    }

    private void write(String id, String value) {
        source.set(value);
        evictions.invalidate(List.of(tag(id))).await().atMost(WAIT);
    }

    @Test
    void shouldHitWhenNothingChangedSinceTheComputation() {
        Lookup l = lookup("hit");
        assertEquals("v1", get(l));
        assertEquals("v1", get(l));
        assertEquals(1, loads.get());
    }

    @Test
    void shouldMissAfterAWriteThatBumpedTheTag() {
        Lookup l = lookup("bumped");
        get(l);
        write("bumped", "v2");
        assertEquals("v2", get(l));
    }

    @Test
    void shouldNeverServeWhatWasComputedBeforeABumpThatLandedDuringTheComputation() {
        Lookup l = lookup("racing");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Object> slow =
                cache.get(l, heldLoader(gate)).subscribeAsCompletionStage().toCompletableFuture();
        write("racing", "v2");
        gate.complete(null);
        assertEquals("v1", slow.join(), "the read that started first answers what it read");
        assertNotNull(store.stored(l), "and stored it, stamped with the generation it observed");
        assertEquals("v2", get(l), "which no read after the write accepts");
    }

    @Test
    void shouldServeTheEntryAnotherInstanceStoredBetweenTheLookupAndTheLease() {
        Lookup l = lookup("late");
        get(l);
        write("late", "v2");
        store.beforeLookup(request -> {
            if (request.kind() == LeaseRequest.Kind.TAKE) {
                store.storedByOther(l, "\"v2-from-other\"".getBytes(), 30_000);
            }
        });
        assertEquals("v2-from-other", get(l));
        assertEquals(1, loads.get(), "not computed a second time in the fleet");
        assertFalse(store.leaseHeld(l), "the lease taken with the late read is released");
    }

    @Test
    void shouldMissNotServeStaleWhenAGenerationIsLostBeforeAWrite() {
        Lookup l = lookup("lost");
        get(l);
        store.loseGeneration(tag("lost"));
        write("lost", "v2");
        assertEquals("v2", get(l));
        assertEquals("v2", get(l));
        assertEquals(2, loads.get(), "cached again under the re-created generation");
    }

    @Test
    void shouldMissWhenTheEpochIsLost() {
        Lookup l = lookup("epoch");
        get(l);
        store.loseEpoch();
        get(l);
        assertEquals(2, loads.get());
    }

    @Test
    void shouldNotReadFromTheStoreBeforeAnOwedEpochIsPaid() {
        Lookup l = lookup("owed");
        get(l);
        store.failing(true);
        write("owed", "v2");
        store.failing(false);
        assertEquals("v2", get(l), "the entry from before the failed bump is not served");
        assertEquals(2, loads.get());
    }

    @Test
    void shouldStillOweTheEpochForABumpThatFailedWhileTheEpochWasBeingReplaced() {
        Lookup l = lookup("owed-twice");
        get(l);
        store.failing(true);
        write("owed-twice", "v2");
        store.failing(false);
        store.afterReplaceEpoch(() -> {
            store.afterReplaceEpoch(() -> {});
            // Another instance stores v2 under the new epoch; then a write whose bump is refused.
            store.storedByOther(l, "\"v2\"".getBytes(), 30_000);
            store.failBumps(true);
            write("owed-twice", "v3");
            store.failBumps(false);
        });
        assertEquals("v3", get(l), "the debt of the later write is not settled by the earlier replacement");
    }

    @Test
    void shouldNotShareAComputationBetweenCallersThatBothSawAMissingGeneration() {
        Lookup l = lookup("absent-twice");
        store.failComplete(true);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        var early = cache.get(l, heldLoader(gate)).subscribeAsCompletionStage().toCompletableFuture();
        // The generation is still missing, so this write's bump changes nothing a stamp can see.
        write("absent-twice", "v2");
        var late = cache.get(l, loader()).subscribeAsCompletionStage().toCompletableFuture();
        gate.complete(null);
        assertEquals("v1", early.join());
        assertEquals("v2", late.join(), "a caller after the write does not get the computation from before it");
    }

    @Test
    void shouldComputeWhenTheLeaseHolderDisappearsWithoutAnEntry() {
        Lookup l = lookup("orphan");
        store.leaseHeldByOther(l);
        AtomicInteger checks = new AtomicInteger();
        store.beforeLookup(request -> {
            if (request.kind() == LeaseRequest.Kind.CHECK && checks.incrementAndGet() == 2) {
                store.leaseExpired(l);
            }
        });
        assertEquals("v1", get(l));
        assertEquals(1, loads.get());
        assertNotNull(store.stored(l));
    }

    @Test
    void shouldLetOneWaiterComputeWhenTheLeaseHolderDisappearsWithoutAnEntry() {
        Lookup l = lookup("orphan-herd");
        store.leaseHeldByOther(l);
        AtomicInteger checks = new AtomicInteger();
        store.beforeLookup(request -> {
            if (request.kind() == LeaseRequest.Kind.CHECK && checks.incrementAndGet() == 1) {
                store.leaseExpired(l);
            }
        });
        CompletableFuture<Void> gate = new CompletableFuture<>();
        var waiter = cache.get(l, heldLoader(gate)).subscribeAsCompletionStage().toCompletableFuture();
        // The waiter found the lease gone without an entry and computes (held open): a caller of another
        // instance arriving now must wait for it, not compute too.
        ResultCache otherInstance = new ResultCache(
                store,
                new Evictions(store, metrics, near, config),
                codec,
                new InProcessFlights(),
                new FleetFlight(store, codec, computation, metrics, config),
                computation,
                new Background(store, codec, computation, metrics, config),
                near,
                metrics);
        var other = otherInstance.get(l, loader()).subscribeAsCompletionStage().toCompletableFuture();
        gate.complete(null);
        assertEquals("v1", waiter.join());
        assertEquals("v1", other.join());
        assertEquals(1, loads.get(), "one computation in the fleet");
    }

    @Test
    void shouldWaitForTheLeaseHolderAndServeItsEntry() {
        Lookup l = lookup("waiting");
        store.leaseHeldByOther(l);
        AtomicInteger checks = new AtomicInteger();
        store.beforeLookup(request -> {
            if (request.kind() == LeaseRequest.Kind.CHECK && checks.incrementAndGet() == 2) {
                store.storedByOther(l, "\"from-holder\"".getBytes(), 30_000);
                store.leaseExpired(l);
            }
        });
        assertEquals("from-holder", get(l));
        assertEquals(0, loads.get());
    }

    @Test
    void shouldShareOneComputationBetweenCallersOfOneStamp() {
        Lookup l = lookup("together");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        var first = cache.get(l, heldLoader(gate)).subscribeAsCompletionStage().toCompletableFuture();
        var second = cache.get(l, heldLoader(gate)).subscribeAsCompletionStage().toCompletableFuture();
        gate.complete(null);
        assertEquals("v1", first.join());
        assertEquals("v1", second.join());
        assertEquals(1, loads.get());
    }

    @Test
    void shouldNotJoinAComputationFromBeforeALocalWriteWhileTheStoreIsDown() {
        Lookup l = lookup("down");
        store.available(false);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        var early = cache.get(l, heldLoader(gate)).subscribeAsCompletionStage().toCompletableFuture();
        write("down", "v2");
        assertEquals("v2", get(l), "a read after the write computes on its own");
        gate.complete(null);
        assertEquals("v1", early.join());
    }

    @Test
    void shouldServeAnExpiredCopyWhenComputingFails() {
        Lookup l = lookup("stale");
        get(l);
        store.expire(l);
        Object served = cache.get(l, () -> Uni.createFrom().failure(new IllegalStateException("db down")))
                .await()
                .atMost(WAIT);
        assertEquals("v1", served);
    }

    @Test
    void shouldNeverServeAnInvalidatedCopyWhenComputingFails() {
        Lookup l = lookup("invalidated");
        get(l);
        store.expire(l);
        write("invalidated", "v2");
        assertThrows(
                IllegalStateException.class,
                () -> cache.get(l, () -> Uni.createFrom().failure(new IllegalStateException("db down")))
                        .await()
                        .atMost(WAIT));
    }

    @Test
    void shouldReleaseTheLeaseAndStoreNothingWhenComputingFails() {
        Lookup l = lookup("failing");
        assertThrows(
                IllegalStateException.class,
                () -> cache.get(l, () -> Uni.createFrom().failure(new IllegalStateException("db down")))
                        .await()
                        .atMost(WAIT));
        assertFalse(store.leaseHeld(l));
        assertNull(store.stored(l));
    }

    @Test
    void shouldServeButNotStoreWhenTheStampCannotBeCompleted() {
        Lookup l = lookup("uncompleted");
        store.failComplete(true);
        assertEquals("v1", get(l));
        assertNull(store.stored(l), "an entry without a complete stamp could never be validated");
        assertFalse(store.leaseHeld(l));
        assertEquals("v1", get(l));
        assertEquals(2, loads.get());
    }
}
