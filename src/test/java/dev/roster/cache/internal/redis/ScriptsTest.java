package dev.roster.cache.internal.redis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.NamedServers;
import dev.roster.support.RedisNodes;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache's Lua scripts travel as digests, and a Redis that forgot them is taught them again. */
@QuarkusTest
class ScriptsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    Redis redis;

    @Inject
    RedisKeys keys;

    private String epoch() {
        return String.valueOf(
                redis.send(Request.cmd(Command.GET).arg(keys.epoch())).await().atMost(WAIT));
    }

    /** Calls of a command counted by the Redis server, or by every primary of a cluster. */
    private long calls(String command) {
        return CommandStats.calls(command);
    }

    private static void changeRole(String name, String role) {
        given().contentType(ContentType.JSON)
                .body(Map.of("team", "T", "role", role))
                .put("/members/" + name)
                .then()
                .statusCode(200);
    }

    @Test
    void shouldCallScriptsByDigestNotByText() {
        NamedServers.skipUnless(
                !RedisNodes.fromConfig().cluster(),
                "on a Redis Cluster the cache sends its scripts as text (EVAL): a SCRIPT LOAD reaches one node only");
        String name = Unique.name("sha");
        Api.create(name, "T").then().statusCode(201);
        Api.memberView(name);
        long evals = calls("eval");
        long shas = calls("evalsha");
        changeRole(name, "a");
        Api.memberView(name);
        Api.memberView(name);
        assertEquals(evals, calls("eval"), "no script text sent once connections are set up");
        assertTrue(calls("evalsha") > shas);
    }

    @Test
    void shouldStillEvictWhenRedisForgotTheScripts() {
        NamedServers.assumeEmbeddedRedis("SCRIPT FLUSH empties the script cache of every client of the server");
        String name = Unique.name("flushed");
        Api.create(name, "T").then().statusCode(201);
        Api.memberView(name);
        assertTrue(Api.memberView(name).header("Cache-Status").contains("hit"));
        String epoch = epoch();
        redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await().atMost(WAIT);
        changeRole(name, "after-flush");
        assertEquals("after-flush", Api.memberView(name).path("role"));
        assertEquals(epoch, epoch(), "the bump itself landed: no epoch had to be replaced");
    }
}
