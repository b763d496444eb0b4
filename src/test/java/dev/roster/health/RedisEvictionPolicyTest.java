package dev.roster.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.support.ControlledRedis;
import dev.roster.support.LogCapture;
import dev.roster.support.NamedServers;
import dev.roster.support.TestServers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis's maxmemory-policy in the readiness data, read with INFO memory, and one WARN each time it becomes a
 * policy that may evict Roster's keys (all of which have a TTL).
 */
@QuarkusTest
@TestProfile(RedisEvictionPolicyTest.OwnRedisReadOften.class)
class RedisEvictionPolicyTest {

    @BeforeEach
    void ownRedisOnly() {
        NamedServers.assumeEmbeddedRedis("it changes maxmemory-policy with CONFIG SET");
    }

    private static final String REFRESH = "200ms";
    private static final long A_FEW_REFRESHES_MS = 1_000;

    /** A Redis of its own (its settings change here), and the policy read every {@value #REFRESH}. */
    public static class OwnRedisReadOften implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ControlledRedis.class), TestServers.onlyMongo());
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("roster.health.redis-policy-refresh", REFRESH);
        }
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Inject
    Redis redis;

    @AfterEach
    void safePolicyAgain() {
        setPolicy("noeviction");
    }

    @Test
    void shouldReportThePolicyAndWarnOnceEachTimeItCanEvictRosterKeys() throws InterruptedException {
        awaitReported("noeviction");
        try (LogCapture log = LogCapture.of(RedisEvictionPolicy.class)) {
            setPolicy("allkeys-lru");
            awaitReported("allkeys-lru");
            Thread.sleep(A_FEW_REFRESHES_MS);
            assertEquals(1, log.warnings(), "one WARN for allkeys-lru, however often it is read");

            setPolicy("volatile-ttl");
            awaitReported("volatile-ttl");
            Thread.sleep(A_FEW_REFRESHES_MS);
            assertEquals(2, log.warnings(), "volatile-* evicts Roster's keys too: they all have a TTL");

            setPolicy("noeviction");
            awaitReported("noeviction");
            Thread.sleep(A_FEW_REFRESHES_MS);
            assertEquals(2, log.warnings(), "noeviction is safe");
        }
    }

    @Test
    void shouldReportMaxmemoryBesideThePolicy() {
        awaitReported("noeviction");
        long maxmemory = given().get(ready)
                .then()
                .statusCode(200)
                .extract()
                .<Number>path("checks.find { it.name == 'redis-cache' }.data.maxmemory")
                .longValue();
        assertEquals(0, maxmemory, "the test Redis has no memory limit");
    }

    private void setPolicy(String policy) {
        redis.send(Request.cmd(io.vertx.mutiny.redis.client.Command.CONFIG)
                        .arg("SET")
                        .arg("maxmemory-policy")
                        .arg(policy))
                .await()
                .atMost(Duration.ofSeconds(5));
    }

    private void awaitReported(String policy) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> policy.equals(given().get(ready)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("checks.find { it.name == 'redis-cache' }.data.'maxmemory-policy'")));
    }
}
