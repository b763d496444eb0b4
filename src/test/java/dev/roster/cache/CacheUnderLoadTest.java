package dev.roster.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many concurrent clients on a warm key (and a warmed-up JVM): every one is a hit, none falls back to MongoDB.
 *
 * <p>A claim about concurrency, not about time: the Redis timeouts are raised so that a machine loaded by other
 * work (the redis-server descheduled for a few hundred milliseconds) cannot turn a hit into a fallback. How
 * the cache behaves when Redis is slow or silent is tested with the default timeouts elsewhere
 * ({@code RedisOutageTest}, {@code FrozenRedisIT}).
 */
@QuarkusTest
@TestProfile(CacheUnderLoadTest.PatientRedis.class)
class CacheUnderLoadTest {

    /** Timeouts no scheduling hiccup reaches. */
    public static class PatientRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "roster.cache.redis-timeout", "5s",
                    "roster.cache.redis-busy-timeout", "5s",
                    "roster.cache.chunk-timeout", "5s");
        }
    }

    private static final int CLIENTS = 256;

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    private double count(String name, String cache, String result) {
        var search = registry.find(name).tag("cache", cache);
        if (result != null) {
            search = search.tag("result", result);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldHitForEveryOneOf256ConcurrentClients() throws Exception {
        String team = Unique.name("load");
        for (int i = 0; i < 20; i++) {
            Api.create(team + "-" + i, team).then().statusCode(201);
        }
        for (int i = 0; i < 200; i++) {
            Api.listing(team).then().statusCode(200);
        }
        double fallbacks = count("roster.cache.fallbacks", "team-listing", null);
        double hits = count("cache.gets", "team-listing", "hit");
        HttpClient client = HttpClient.newBuilder()
                .executor(java.util.concurrent.Executors.newFixedThreadPool(32))
                .build();
        URI uri = base.resolve("/teams/" + team + "/members");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        }
        int hitAnswers = 0;
        Map<String, Integer> statuses = new TreeMap<>();
        for (var call : calls) {
            HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            String status = response.headers().firstValue("Cache-Status").orElse("none");
            statuses.merge(status.replaceAll("ttl=\\d+", "ttl=N"), 1, Integer::sum);
            if (status.contains("hit")) {
                hitAnswers++;
            }
        }
        assertEquals(CLIENTS, hitAnswers, "Cache-Status seen: " + statuses);
        assertEquals(fallbacks, count("roster.cache.fallbacks", "team-listing", null));
        assertEquals(hits + CLIENTS, count("cache.gets", "team-listing", "hit"));
    }
}
