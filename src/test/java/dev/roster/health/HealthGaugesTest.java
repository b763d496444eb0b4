package dev.roster.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.support.ControlledMongo;
import dev.roster.support.ControlledRedis;
import dev.roster.support.ScrapedMetrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gauges alerts read: MongoDB's reachability as the last readiness check found it, and Redis's eviction policy
 * as last read, on {@code /q/metrics}, against servers the test stops and reconfigures.
 */
@QuarkusTest
@TestProfile(HealthGaugesTest.OwnServers.class)
class HealthGaugesTest {

    private static final String REACHABLE = "roster_mongodb_reachable";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** A MongoDB and a Redis of its own (one stops, the other is reconfigured), the policy read every 200 ms. */
    public static class OwnServers implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ControlledMongo.class), new TestResourceEntry(ControlledRedis.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("roster.health.redis-policy-refresh", "200ms");
        }
    }

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    Redis redis;

    @AfterEach
    void serversAsTheyWere() {
        ControlledMongo.stopServer();
        ControlledMongo.startServer();
        setPolicy("noeviction");
    }

    @Test
    void shouldExportWhatTheLastReadinessCheckFoundOfMongo() {
        ready();
        assertEquals(1.0, metric(REACHABLE));

        ControlledMongo.stopServer();
        assertEquals(1.0, metric(REACHABLE), "a scrape checks nothing itself: the last readiness check still holds");
        ready();
        assertEquals(0.0, metric(REACHABLE));

        ControlledMongo.startServer();
        ready();
        assertEquals(1.0, metric(REACHABLE));
    }

    @Test
    void shouldExportTheRedisEvictionPolicyAsOneSeriesPerPolicy() {
        awaitPolicy("noeviction");
        assertEquals(0.0, metric(policy("allkeys-lru")));
        assertEquals(0.0, metric(policy("unknown")));

        setPolicy("allkeys-lru");
        awaitPolicy("allkeys-lru");
        assertEquals(0.0, metric(policy("noeviction")));
        assertEquals(0.0, metric(policy("volatile-ttl")));
    }

    private void ready() {
        given().get(management + "health/ready").then().statusCode(200);
    }

    private void awaitPolicy(String policy) {
        await().atMost(PATIENCE).until(() -> metric(policy(policy)) == 1.0);
    }

    private static String policy(String policy) {
        return "roster_redis_maxmemory_policy{policy=\"" + policy + "\"}";
    }

    private void setPolicy(String policy) {
        redis.send(Request.cmd(Command.CONFIG)
                        .arg("SET")
                        .arg("maxmemory-policy")
                        .arg(policy))
                .await()
                .atMost(Duration.ofSeconds(5));
    }

    /** The value of one series on {@code /q/metrics}; fails when the series is missing. */
    private double metric(String series) {
        return ScrapedMetrics.value(management, series)
                .orElseThrow(() -> new AssertionError(series + " is not on /q/metrics"));
    }
}
