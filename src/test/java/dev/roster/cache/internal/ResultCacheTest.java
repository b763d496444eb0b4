package dev.roster.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.internal.plan.MethodPlan;
import dev.roster.cache.internal.plan.MethodPlans;
import dev.roster.cache.internal.redis.RedisKeys;
import dev.roster.support.RedisNodes;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The result cache on plain bean methods, against the real embedded Redis. */
@QuarkusTest
class ResultCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    CacheProbe probe;

    @Inject
    Redis redis;

    @Inject
    MethodPlans plans;

    @Inject
    RedisKeys keys;

    @Inject
    RosterCacheConfig config;

    @Inject
    io.vertx.core.Vertx vertx;

    private String entryKey(String method, Object... args) throws NoSuchMethodException {
        for (var m : CacheProbe.class.getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                MethodPlan plan = plans.result(m).plan();
                return keys.entry(plan.cache, plan.entryId(args));
            }
        }
        throw new NoSuchMethodException(method);
    }

    /** Entries stay in Redis for their TTL plus the stale grace (5 minutes by default). */
    private static final long GRACE = 300_000;

    private long pttl(String key) {
        return redis.send(Request.cmd(Command.PTTL).arg(key))
                .await()
                .atMost(WAIT)
                .toLong();
    }

    /** The TTL after which an entry stops being fresh (its Redis TTL less the stale grace). */
    private long freshTtl(String key) {
        return pttl(key) - GRACE;
    }

    private <T> T await(Uni<T> uni) {
        return uni.subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitItem(WAIT)
                .getItem();
    }

    @Test
    void shouldHitAfterMissWhenNothingChanged() {
        String id = Unique.name("hit");
        probe.put(id, "v1");
        int before = probe.loadsOf("read");
        assertEquals("v1", await(probe.read(id)));
        assertEquals("v1", await(probe.read(id)));
        assertEquals(before + 1, probe.loadsOf("read"));
    }

    @Test
    void shouldMissAfterWriteBumpsTheTag() {
        String id = Unique.name("bump");
        probe.put(id, "old");
        assertEquals("old", await(probe.read(id)));
        await(probe.write(id, "new"));
        assertEquals("new", await(probe.read(id)));
    }

    @Test
    void shouldNotServeWhatASlowReadComputedBeforeARacingWrite() throws Exception {
        String id = Unique.name("race");
        probe.put(id, "old");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        probe.gate(gate);
        int loads = probe.loadsOf("read");
        CompletableFuture<String> slow =
                probe.read(id).subscribeAsCompletionStage().toCompletableFuture();
        Awaitility.await().atMost(WAIT).until(() -> probe.loadsOf("read") == loads + 1);
        probe.gate(CompletableFuture.completedFuture(null));
        await(probe.write(id, "new"));
        gate.complete(null);
        assertEquals("old", slow.get(5, TimeUnit.SECONDS));
        assertEquals("new", await(probe.read(id)));
        assertEquals("new", await(probe.read(id)));
    }

    @Test
    void shouldCacheEmptyAndNullResults() {
        String id = Unique.name("empty");
        int lists = probe.loadsOf("list");
        assertEquals(List.of(), await(probe.list(id)));
        assertEquals(List.of(), await(probe.list(id)));
        assertEquals(lists + 1, probe.loadsOf("list"));
        int reads = probe.loadsOf("read");
        assertNull(await(probe.read(id)));
        assertNull(await(probe.read(id)));
        assertEquals(reads + 1, probe.loadsOf("read"));
    }

    @Test
    void shouldGiveEmptyResultsTheShorterTtl() throws Exception {
        String id = Unique.name("short");
        await(probe.list(id));
        long ttl = freshTtl(entryKey("list", id));
        assertTrue(ttl > 0 && ttl <= 15_000 * 1.1 + 100, "empty TTL was " + ttl);
    }

    @Test
    void shouldNeverCacheAFailure() {
        String id = Unique.name("fail");
        probe.failing(id, true);
        int before = probe.loadsOf("read");
        probe.read(id).subscribe().withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT);
        probe.failing(id, false);
        probe.put(id, "fine");
        assertEquals("fine", await(probe.read(id)));
        assertEquals(before + 2, probe.loadsOf("read"));
    }

    @Test
    void shouldKeepKeysApartWhenArgumentsLookAlike() {
        int before = probe.loadsOf("pair");
        assertEquals("a:b|null", await(probe.pair("a:b", null)));
        assertEquals("a|b", await(probe.pair("a", "b")));
        assertEquals("a|:b", await(probe.pair("a", ":b")));
        assertEquals("a:|b", await(probe.pair("a:", "b")));
        assertEquals("*|$", await(probe.pair("*", "$")));
        assertEquals("é ü|", await(probe.pair("é ü", "")));
        assertEquals("é ü|null", await(probe.pair("é ü", null)));
        assertEquals(before + 7, probe.loadsOf("pair"));
        assertEquals("a|b", await(probe.pair("a", "b")));
        assertEquals(before + 7, probe.loadsOf("pair"));
    }

    @Test
    void shouldCacheRecordsAsKeysAndValues() {
        String label = Unique.name("rec");
        var key = new CacheProbe.Sample(label, 1, List.of("x", "y"));
        int before = probe.loadsOf("record");
        var first = await(probe.record(key));
        var second = await(probe.record(new CacheProbe.Sample(label, 1, List.of("x", "y"))));
        assertEquals(first, second);
        assertEquals(label + "!", second.label());
        assertEquals(before + 1, probe.loadsOf("record"));
        await(probe.record(new CacheProbe.Sample(label, 1, List.of("y", "x"))));
        assertEquals(before + 2, probe.loadsOf("record"));
    }

    @Test
    void shouldServeBlockingCallersOnWorkerThreads() throws Exception {
        String id = Unique.name("plain");
        probe.put(id, "blocking");
        int before = probe.loadsOf("plain");
        var worker = Infrastructure.getDefaultWorkerPool();
        assertEquals("blocking", worker.submit(() -> probe.plain(id)).get(5, TimeUnit.SECONDS));
        assertEquals("blocking", worker.submit(() -> probe.plain(id)).get(5, TimeUnit.SECONDS));
        assertEquals(before + 1, probe.loadsOf("plain"));
    }

    @Test
    void shouldSetTheMethodTtlOnTheEntry() throws Exception {
        String id = Unique.name("ttl");
        probe.put(id, "v");
        await(probe.read(id));
        long ttl = freshTtl(entryKey("read", id));
        assertTrue(ttl > 30_000 * 0.9 - 1_000 && ttl <= 30_000 * 1.1, "TTL was " + ttl);
    }

    @Test
    void shouldSpreadTtlsWithJitter() throws Exception {
        List<Long> ttls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = Unique.name("jitter");
            probe.put(id, "v");
            await(probe.read(id));
            ttls.add(freshTtl(entryKey("read", id)));
        }
        long min = ttls.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = ttls.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(min >= 30_000 * 0.9 - 2_000, "min " + min);
        assertTrue(max <= 30_000 * 1.1, "max " + max);
        assertTrue(max - min > 30_000 * 0.05, "spread " + (max - min));
    }

    @Test
    void shouldLeaveNoKeyWithoutTtlButTheEpochItsLineageAndTheFeedPosition() {
        String id = Unique.name("all");
        probe.put(id, "v");
        await(probe.read(id));
        await(probe.write(id, "w"));
        int checked = 0;
        for (String key : RedisNodes.fromConfig().keys(config.keyPrefix() + ":*")) {
            if (key.equals(keys.epoch()) || key.equals(keys.lineage()) || key.equals(keys.feedPosition())) {
                // Three keys in all, never evicted by a volatile-* policy.
                continue;
            }
            long ttl = pttl(key);
            assertNotEquals(-1L, ttl, key + " has no TTL");
            checked++;
        }
        assertTrue(checked > 0);
    }

    @Test
    void shouldRejectBlockingCallFromEventLoop() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            try {
                probe.plain(Unique.name("loop"));
                outcome.complete(null);
            } catch (IllegalStateException e) {
                outcome.complete(e);
            }
        });
        Throwable failure = outcome.get(5, TimeUnit.SECONDS);
        assertTrue(failure != null && failure.getMessage().contains("worker thread"), String.valueOf(failure));
    }
}
