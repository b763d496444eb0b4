package dev.roster.observe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.cache.internal.redis.RedisKeys;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The request id reaches log lines written deep in a reactive request: the cache's "Stored" line is written
 * after the MongoDB read and the Redis store have answered (each on a callback of its own client), and it must
 * still carry the id the client sent, and the entry's cache and key hash, in the JSON line's MDC; also when the
 * request first waited (on a timer) for another instance's lease.
 */
@QuarkusTest
@TestProfile(ObservedProfile.class)
class RequestIdLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    Redis redis;

    @Inject
    RedisKeys keys;

    @Test
    void shouldCarryTheClientsRequestIdAndTheKeyHashOnALogLineWrittenAfterMongoAndRedisAnswered() {
        String team = Unique.name("observed");
        Api.create(team + "-a", team).then().statusCode(201);
        String requestId = "it-" + team;

        String echoed = given().header(RequestIds.HEADER, requestId)
                .urlEncodingEnabled(false)
                .get("/teams/" + Api.segment(team) + "/members")
                .then()
                .statusCode(200)
                .extract()
                .header(RequestIds.HEADER);

        assertEquals(requestId, echoed);
        JsonNode line = Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> storedLine(requestId), Optional::isPresent)
                .orElseThrow();
        JsonNode mdc = line.get("mdc");
        assertEquals("team-listing", mdc.get("cache").asText());
        String keyHash = mdc.get("keyHash").asText();
        assertEquals(8, keyHash.length());
        assertTrue(line.get("message").asText().startsWith("Stored team-listing:" + keyHash), line.toString());
        // The OpenTelemetry SDK is on in this profile: the line is also tied to its trace.
        assertTrue(mdc.hasNonNull("traceId"), line.toString());
    }

    @Test
    void shouldKeepTheRequestIdAfterWaitingForAnotherInstancesLease() {
        String team = Unique.name("observed-wait");
        Api.create(team + "-a", team).then().statusCode(201);
        // Another instance seems to compute this listing: its lease lives 300 ms, then this request computes.
        String entryKey = given().queryParam("path", "/teams/" + team + "/members")
                .get(management + "roster/cache/explain")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
        String id = entryKey.substring(entryKey.indexOf('{') + 1, entryKey.lastIndexOf('}'));
        redis.send(Request.cmd(Command.SET)
                        .arg(keys.lease(id))
                        .arg("other-instance")
                        .arg("PX")
                        .arg(300))
                .await()
                .atMost(Duration.ofSeconds(5));
        String requestId = "it-" + team;
        double waits = leaseWaits();

        given().header(RequestIds.HEADER, requestId)
                .urlEncodingEnabled(false)
                .get("/teams/" + Api.segment(team) + "/members")
                .then()
                .statusCode(200);

        assertEquals(waits + 1, leaseWaits());

        JsonNode line = Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> storedLine(requestId), Optional::isPresent)
                .orElseThrow();
        assertEquals(id.substring(0, 8), line.get("mdc").get("keyHash").asText());
    }

    @Test
    void shouldMakeUpARequestIdWhenTheClientSentNoneOrAnUnusableOne() {
        String made = Api.listing(Unique.name("no-id")).then().extract().header(RequestIds.HEADER);
        String replaced = given().header(RequestIds.HEADER, "two words")
                .get("/teams/x/members")
                .then()
                .extract()
                .header(RequestIds.HEADER);

        assertTrue(made.matches("[0-9a-f-]{36}"), made);
        assertTrue(replaced.matches("[0-9a-f-]{36}"), replaced);
        assertNotEquals(made, replaced);
    }

    private double leaseWaits() {
        String series = "roster_cache_lease_waits_total{cache=\"team-listing\"} ";
        return given().get(management + "metrics")
                .asString()
                .lines()
                .filter(line -> line.startsWith(series))
                // With the SDK on, a sample may be followed by an exemplar ("# {span_id=...}").
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(series.length()).split(" ")[0]))
                .sum();
    }

    /** The JSON log line of the cache's "Stored" message written for {@code requestId}, if there is one yet. */
    private static Optional<JsonNode> storedLine(String requestId) throws IOException {
        Path file = Path.of(ObservedProfile.LOG_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file);
        for (String text : lines) {
            if (!text.contains(requestId)) {
                continue;
            }
            JsonNode line = JSON.readTree(text);
            JsonNode mdc = line.get("mdc");
            if (mdc != null
                    && requestId.equals(mdc.path(RequestIds.MDC_KEY).asText())
                    && line.path("message").asText().startsWith("Stored ")) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }
}
