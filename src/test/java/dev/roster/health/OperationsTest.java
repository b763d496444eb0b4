package dev.roster.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.roster.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The management interface: health (SmallRye bodies), Prometheus metrics with the cache's meters, OpenAPI. */
@QuarkusTest
class OperationsTest {

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
    void shouldExposeCacheMetricsPerCache() {
        Api.listing("ops-metrics").then().statusCode(200);
        Api.listing("ops-metrics").then().statusCode(200);
        given().get(management + "metrics")
                .then()
                .statusCode(200)
                .body(containsString("roster_cache_requests_total{cache=\"team-listing\",result=\"hit\"}"))
                .body(containsString("roster_cache_loads_seconds_count{cache=\"team-listing\"}"));
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
