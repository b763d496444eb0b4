package dev.roster.cache.internal.redis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.Tag;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis may drop any key (eviction under {@code maxmemory}, expiry, an operator): a lost generation or epoch
 * costs misses, never a stale read; generations of names nobody stores live no longer than an entry.
 */
@QuarkusTest
class LostKeysTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    Redis redis;

    @Inject
    RedisKeys keys;

    private Object send(Request request) {
        return redis.send(request).await().atMost(WAIT);
    }

    private void delete(String key) {
        send(Request.cmd(Command.DEL).arg(key));
    }

    private long ttlMillis(String key) {
        return Long.parseLong(send(Request.cmd(Command.PTTL).arg(key)).toString());
    }

    private static Response view(String name) {
        return Api.memberView(name).then().statusCode(200).extract().response();
    }

    private static void createWithRole(String name, String team, String role) {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", team, "role", role))
                .post("/members")
                .then()
                .statusCode(201);
    }

    private static void changeRole(String name, String team, String role) {
        given().contentType(ContentType.JSON)
                .body(Map.of("team", team, "role", role))
                .put("/members/" + name)
                .then()
                .statusCode(200);
    }

    /** Reads until the view is a hit, so that an entry is stored with the generations as they are now. */
    private static void warm(String name) {
        view(name);
        assertTrue(view(name).header("Cache-Status").contains("hit"), "the second read is a hit");
    }

    @Test
    void shouldServeTheWriteWhenTheGenerationWasLostBeforeIt() {
        String name = Unique.name("lost-gen");
        createWithRole(name, "T", "before");
        warm(name);
        // The generation goes away: the write's bump then has nothing to increment.
        delete(keys.generation(Tag.of("member", name)));
        changeRole(name, "T", "after");
        Response r = view(name);
        assertEquals("after", r.path("role"), "stale after a lost generation: " + r.header("Cache-Status"));
    }

    @Test
    void shouldServeTheWriteWhenTheGenerationWasLostAndRecreatedByAnotherRead() {
        String name = Unique.name("regen");
        createWithRole(name, "T", "before");
        warm(name);
        delete(keys.generation(Tag.of("member", name)));
        // Another read re-creates the generation (at a fresh value) before the write.
        view(name);
        changeRole(name, "T", "after");
        assertEquals("after", view(name).path("role"));
        assertTrue(view(name).header("Cache-Status").contains("hit"), "caching resumes");
    }

    @Test
    void shouldMissWhenTheEpochWasLost() {
        String name = Unique.name("lost-epoch");
        createWithRole(name, "T", "r");
        warm(name);
        delete(keys.epoch());
        Response r = view(name);
        assertTrue(
                r.header("Cache-Status").contains("fwd=miss"),
                "no entry survives its epoch: " + r.header("Cache-Status"));
        assertTrue(view(name).header("Cache-Status").contains("hit"), "caching resumes at a fresh epoch");
    }

    @Test
    void shouldKeepTheGenerationOfAnUnknownNameNoLongerThanAnEntry() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = Unique.name("probe404");
            names.add(name);
            Api.memberView(name).then().statusCode(404);
        }
        for (String name : names) {
            long ttl = ttlMillis(keys.generation(Tag.of("member", name)));
            assertTrue(ttl > 0, "the generation has a TTL");
            assertTrue(
                    ttl <= Duration.ofMinutes(10).toMillis(),
                    "a generation lives about as long as the entries that depend on it, not days: " + ttl);
        }
    }
}
