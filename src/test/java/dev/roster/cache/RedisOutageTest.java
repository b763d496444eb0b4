package dev.roster.cache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.internal.CacheProbe;
import dev.roster.support.Api;
import dev.roster.support.ControlledRedis;
import dev.roster.support.ControlledRedisProfile;
import dev.roster.support.LogCapture;
import dev.roster.support.NamedServers;
import dev.roster.support.Unique;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis down is slower, never broken; and nothing stored before an outage is served after it. */
@QuarkusTest
@TestProfile(ControlledRedisProfile.class)
class RedisOutageTest {

    @BeforeEach
    void ownRedisOnly() {
        NamedServers.assumeEmbeddedRedis("it kills Redis, freezes it and restarts it from an older snapshot");
    }

    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final String CIRCUIT = "dev.roster.cache.internal.redis.RedisCircuit";

    @Inject
    Redis redis;

    @Inject
    CacheProbe probe;

    @Inject
    MeterRegistry registry;

    private double evictionsOwed() {
        return registry.get("roster.cache.evictions.owed").gauge().value();
    }

    @AfterEach
    void redisIsBack() {
        ControlledRedis.stopServer();
        ControlledRedis.startServer();
    }

    /** Waits until the name is served from the cache (a previous test may have left the circuit open). */
    private static void warm(String name) {
        Awaitility.await()
                .atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> view(name).header("Cache-Status").contains("hit"));
    }

    private static Response view(String name) {
        return Api.memberView(name).then().statusCode(200).extract().response();
    }

    @Test
    void shouldAnswerFromMongoWhileRedisIsDownAndHitAgainAfter() {
        String name = Unique.name("down");
        Api.create(name, "T").then().statusCode(201);
        warm(name);
        try (LogCapture log = LogCapture.of(CIRCUIT)) {
            ControlledRedis.stopServer();
            for (int i = 0; i < 30; i++) {
                Response r = view(name);
                assertEquals(name, r.path("name"));
            }
            assertTrue(view(name).header("Cache-Status").contains("fwd=bypass"));
            assertEquals(1, log.warnings(), "one WARN per outage");
            ControlledRedis.startServer();
            Awaitility.await()
                    .atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> view(name).header("Cache-Status").contains("hit"));
            assertEquals(1, log.warnings());
        }
    }

    @Test
    void shouldStillComputeOnceForConcurrentCallersWhileRedisIsDown() throws Exception {
        ControlledRedis.stopServer();
        String warmup = Unique.name("open");
        for (int i = 0; i < 8; i++) {
            Api.memberView(warmup).then().statusCode(404);
        }
        assertTrue(Api.memberView(warmup).header("Cache-Status").contains("redis-unavailable"));
        String id = Unique.name("down-flight");
        probe.put(id, "v");
        int before = probe.loadsOf("read");
        assertEquals(java.util.Collections.nCopies(20, "v"), probe.readTogether(id, 20, RECOVERY));
        assertEquals(before + 1, probe.loadsOf("read"));
    }

    @Test
    void shouldSkipAFrozenRedisAfterItsTimeoutAndHitAgainWhenItThaws() {
        String name = Unique.name("frozen");
        Api.create(name, "T").then().statusCode(201);
        warm(name);
        String info = redis.send(Request.cmd(Command.INFO).arg("server"))
                .await()
                .atMost(Duration.ofSeconds(5))
                .toString();
        long pid = Long.parseLong(info.replaceAll("(?s).*process_id:(\\d+).*", "$1"));
        ControlledRedis.freeze(pid);
        try {
            int bypassed = 0;
            for (int i = 0; i < 15; i++) {
                Response r = view(name);
                assertEquals(name, r.path("name"));
                if (r.header("Cache-Status").contains("fwd=bypass")) {
                    bypassed++;
                }
            }
            assertTrue(bypassed >= 5, "the circuit opened: " + bypassed + " of 15 skipped Redis");
        } finally {
            ControlledRedis.thaw(pid);
        }
        Awaitility.await()
                .atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> view(name).header("Cache-Status").contains("hit"));
    }

    @Test
    void shouldNotServeEntriesFromBeforeAnOutageInWhichAWriteHappened() {
        String name = Unique.name("missed");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", "T", "role", "before"))
                .post("/members")
                .then()
                .statusCode(201);
        warm(name);
        redis.send(Request.cmd(Command.SAVE)).await().atMost(Duration.ofSeconds(5));
        ControlledRedis.stopServer();
        given().contentType(ContentType.JSON)
                .body(Map.of("team", "T", "role", "after"))
                .put("/members/" + name)
                .then()
                .statusCode(200);
        assertEquals(1.0, evictionsOwed(), "the lost eviction is owed");
        ControlledRedis.startServer();
        Awaitility.await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response r = view(name);
            assertEquals("after", r.path("role"), "stale answer: " + r.header("Cache-Status"));
            return r.header("Cache-Status").contains("hit");
        });
        assertEquals(0.0, evictionsOwed(), "the epoch replaced, nothing is owed");
    }

    @Test
    void shouldNotServeEntriesFromARedisRestartedFromAnOlderSnapshot() {
        String name = Unique.name("restored");
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", "T", "role", "before"))
                .post("/members")
                .then()
                .statusCode(201);
        warm(name);
        redis.send(Request.cmd(Command.SAVE)).await().atMost(Duration.ofSeconds(5));
        // Answered while Redis is up: its bump lands in memory only, after the snapshot.
        given().contentType(ContentType.JSON)
                .body(Map.of("team", "T", "role", "after"))
                .put("/members/" + name)
                .then()
                .statusCode(200);
        assertEquals("after", view(name).path("role"));
        ControlledRedis.stopServer();
        ControlledRedis.startServer();
        Awaitility.await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response r = view(name);
            assertEquals("after", r.path("role"), "served from the older snapshot: " + r.header("Cache-Status"));
            return r.header("Cache-Status").contains("hit");
        });
    }

    @Test
    void shouldNotLetAReadAfterAWriteJoinAComputationFromBeforeItWhileRedisIsDown() throws Exception {
        ControlledRedis.stopServer();
        String warmup = Unique.name("open");
        for (int i = 0; i < 8; i++) {
            Api.memberView(warmup).then().statusCode(404);
        }
        String id = Unique.name("down-write");
        probe.put(id, "old");
        CompletableFuture<Void> held = new CompletableFuture<>();
        probe.gate(held);
        int before = probe.loadsOf("read");
        var early = probe.read(id).subscribeAsCompletionStage();
        Awaitility.await().atMost(RECOVERY).until(() -> probe.loadsOf("read") > before);
        probe.gate(CompletableFuture.completedFuture(null));
        probe.write(id, "new").await().atMost(RECOVERY);
        try {
            assertEquals(
                    "new",
                    probe.read(id).await().atMost(RECOVERY),
                    "a read after the write must not share the computation that started before it");
        } finally {
            held.complete(null);
        }
        assertEquals("old", early.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS));
    }
}
