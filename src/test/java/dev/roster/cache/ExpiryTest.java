package dev.roster.cache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.ControlledMongo;
import dev.roster.support.ShortTtlProfile;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Around an entry's expiry: early refresh keeps a hot key hitting; stale-if-error covers a MongoDB outage. */
@QuarkusTest
@TestProfile(ShortTtlProfile.class)
class ExpiryTest {

    @BeforeEach
    void controllableMongoOnly() {
        ControlledMongo.assumeControllable();
    }

    private static final long TTL_MILLIS = 2_000;

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @AfterEach
    void mongoIsBack() {
        ControlledMongo.stopServer();
        ControlledMongo.startServer();
    }

    @Test
    void shouldKeepAHotKeyHittingAcrossItsTtlWhenRefreshedEarly() throws Exception {
        String name = Unique.name("hot");
        Api.create(name, "T").then().statusCode(201);
        Api.memberView(name).then().statusCode(200);
        int hits = 0;
        int requests = 0;
        long end = System.currentTimeMillis() + 3 * TTL_MILLIS;
        while (System.currentTimeMillis() < end) {
            Response r = Api.memberView(name).then().statusCode(200).extract().response();
            requests++;
            if (r.header("Cache-Status").contains("hit")) {
                hits++;
            }
            Thread.sleep(25);
        }
        assertTrue(requests > 50, "requests: " + requests);
        assertEquals(requests, hits, "every request across three TTLs was a hit");
    }

    @Test
    void shouldServeAnExpiredCopyMarkedStaleWhenMongoIsDown() throws Exception {
        String name = Unique.name("stale");
        Api.create(name, "T").then().statusCode(201);
        Api.memberView(name).then().statusCode(200);
        Thread.sleep(TTL_MILLIS + 500);
        ControlledMongo.stopServer();
        Response r = Api.memberView(name).then().statusCode(200).extract().response();
        assertTrue(r.header("Cache-Status").contains("fwd=stale"), r.header("Cache-Status"));
        assertEquals(name, r.path("name"));
    }

    @Test
    void shouldStillServeTheExpiredCopyAfterAWriteThatCouldNotReachMongo() throws Exception {
        String name = Unique.name("kept");
        Api.create(name, "T").then().statusCode(201);
        Api.memberView(name).then().statusCode(200);
        Thread.sleep(TTL_MILLIS + 500);
        ControlledMongo.stopServer();
        // The first operation fails on a pooled connection (MongoSocketWriteException: maybe written, so it
        // evicts); from then on the driver cannot select a server and says so (nothing written).
        Api.memberView(Unique.name("probe")).then().statusCode(503);
        given().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("team", "T", "role", "x"))
                .put("/members/" + name)
                .then()
                .statusCode(503);
        Response r = Api.memberView(name).then().statusCode(200).extract().response();
        assertTrue(r.header("Cache-Status").contains("fwd=stale"), r.header("Cache-Status"));
    }

    @Test
    void shouldRecreateTheIndexesWhenMongoComesBackEmpty() {
        ControlledMongo.stopServer();
        ControlledMongo.startServer();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> Boolean.TRUE.equals(given().get(health + "/ready")
                        .then()
                        .extract()
                        .path("checks.find { it.name == 'mongodb' }.data.indexes")));
        String name = Unique.name("unique-again");
        Api.create(name, "T").then().statusCode(201);
        Api.create(name, "T").then().statusCode(409);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenMongoIsDownAndNothingIsCached() {
        ControlledMongo.stopServer();
        Api.memberView(Unique.name("cold"))
                .then()
                .statusCode(503)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .contentType("application/problem+json");
    }

    @Test
    void shouldRefuseWritesAndChangeNothingWhenMongoIsDown() {
        String name = Unique.name("nowrite");
        ControlledMongo.stopServer();
        Api.create(name, "T").then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }
}
