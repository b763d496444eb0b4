package dev.roster.cache.internal.near;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.Tag;
import dev.roster.cache.internal.redis.RedisKeys;
import dev.roster.support.Api;
import dev.roster.support.NamedServers;
import dev.roster.support.NearCacheProfile;
import dev.roster.support.RedisNodes;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The near cache: hits without Redis, read-your-writes on this instance, invalidation from other instances. */
@QuarkusTest
@TestProfile(NearCacheProfile.class)
class NearCacheTest {

    @Inject
    NearCache near;

    @Inject
    RedisKeys keys;

    @Inject
    Redis redis;

    @BeforeEach
    void tracking() {
        NamedServers.skipUnless(
                !RedisNodes.fromConfig().cluster(),
                "the near cache stays off on a Redis Cluster (tracking one node would miss the others' changes)");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(near::active);
    }

    private static String status(String name) {
        return Api.memberView(name).then().statusCode(200).extract().header("Cache-Status");
    }

    @Test
    void shouldServeRepeatedHitsFromMemory() {
        String name = Unique.name("near");
        Api.create(name, "T").then().statusCode(201);
        // Reads until one is served from memory: a change of an earlier test that the change feed replays after
        // this instance started may evict in between (it never serves anything older).
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> status(name).contains("detail=near"));
        assertTrue(status(name).contains("detail=near"), "the next read is served from memory too");
    }

    @Test
    void shouldReadItsOwnWriteAtOnce() {
        String name = Unique.name("own");
        Api.create(name, "T").then().statusCode(201);
        status(name);
        status(name);
        given().contentType(ContentType.JSON)
                .body(Map.of("team", "T", "role", "new"))
                .put("/members/" + name)
                .then()
                .statusCode(200);
        assertEquals("new", Api.memberView(name).then().extract().path("role"));
    }

    @Test
    void shouldDropAnEntryWhenAnotherInstanceBumpsItsTag() {
        String name = Unique.name("other");
        Api.create(name, "T").then().statusCode(201);
        status(name);
        status(name);
        assertTrue(status(name).contains("detail=near"));
        String generation = keys.generation(Tag.of("member", name));
        redis.send(Request.cmd(Command.INCR).arg(generation)).await().atMost(Duration.ofSeconds(5));
        redis.send(Request.cmd(Command.PEXPIRE).arg(generation).arg(60_000))
                .await()
                .atMost(Duration.ofSeconds(5));
        Awaitility.await()
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> status(name).contains("fwd=miss"));
    }

    /** Connections on the server with client-side tracking switched on. */
    private long trackingClients() {
        String list = redis.send(Request.cmd(Command.CLIENT).arg("LIST"))
                .await()
                .atMost(Duration.ofSeconds(5))
                .toString();
        return list.lines()
                .filter(line -> line.matches(".*\\bflags=\\S*t\\S*\\b.*"))
                .count();
    }

    @Test
    void shouldLeaveOneTrackingConnectionAfterItsSubscriberBreaksRepeatedly() {
        NamedServers.assumeEmbeddedRedis(
                "CLIENT LIST and CLIENT KILL TYPE pubsub count and break the connections of every client of the server");
        long before = trackingClients();
        assertEquals(1, before, "one tracker while the near cache is on");
        for (int i = 0; i < 3; i++) {
            redis.send(Request.cmd(Command.CLIENT).arg("KILL").arg("TYPE").arg("pubsub"))
                    .await()
                    .atMost(Duration.ofSeconds(5));
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !near.active());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(near::active);
        }
        assertEquals(before, trackingClients(), "the tracker of a broken pair is closed with it");
    }
}
