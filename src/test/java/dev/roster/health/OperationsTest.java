package dev.roster.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.ScrapedMetrics;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The management interface: health (SmallRye bodies), Prometheus metrics (the cache's meters under Micrometer's
 * cache names, the circuit gauge, the near cache's and MongoDB's meters), OpenAPI.
 */
@QuarkusTest
class OperationsTest {

    private static final String GETS_HIT = "cache_gets_total{cache=\"team-listing\",result=\"hit\"}";
    private static final String GETS_MISS = "cache_gets_total{cache=\"team-listing\",result=\"miss\"}";
    private static final String PUTS = "cache_puts_total{cache=\"team-listing\"}";

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void shouldReportLiveAndReadyWithMongoAndRedisChecks() {
        given().get(management + "health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get(management + "health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItems("mongodb", "redis-cache"));
    }

    @Test
    void shouldCountAMissThenAHitUnderMicrometerCacheNames() {
        String team = Unique.name("ops-metrics");
        Api.create(team + "-a", team).then().statusCode(201);
        double hits = metric(GETS_HIT);
        double misses = metric(GETS_MISS);
        double puts = metric(PUTS);

        assertEquals("roster; fwd=miss; stored", Api.cacheStatus(Api.listing(team)));
        assertTrue(Api.cacheStatus(Api.listing(team)).startsWith("roster; hit"));

        assertEquals(misses + 1, metric(GETS_MISS));
        assertEquals(hits + 1, metric(GETS_HIT));
        assertEquals(puts + 1, metric(PUTS));
        given().get(management + "metrics")
                .then()
                .statusCode(200)
                .body(containsString("cache_loads_seconds_count{cache=\"team-listing\",result=\"success\"}"))
                .body(containsString("cache_loads_seconds_bucket{cache=\"team-listing\",result=\"success\",le=\""))
                .body(containsString("cache_evictions_total{cache=\"roster-tags\"}"))
                .body(containsString("http_server_requests_seconds_bucket{"))
                // Micrometer's Caffeine binder on the near cache, and the MongoDB driver's command timer.
                .body(containsString("cache_gets_total{cache=\"roster-near\",result=\"hit\"}"))
                .body(containsString("mongodb_driver_commands_seconds_count{"));
    }

    @Test
    void shouldShowTheCircuitStateAsAGaugePerState() {
        assertEquals(1.0, metric("roster_cache_circuit_state{state=\"closed\"}"));
        assertEquals(0.0, metric("roster_cache_circuit_state{state=\"open\"}"));
        assertEquals(0.0, metric("roster_cache_circuit_state{state=\"probing\"}"));
    }

    /** The value of one series on {@code /q/metrics} (0 when it is not there yet). */
    private double metric(String series) {
        return ScrapedMetrics.value(management, series).orElse(0);
    }

    @Test
    void shouldDescribeTheApiInOpenApi() {
        given().get(management + "openapi")
                .then()
                .statusCode(200)
                .body(containsString("/teams/{team}/members"))
                .body(containsString("/members/{name}"));
    }
}
