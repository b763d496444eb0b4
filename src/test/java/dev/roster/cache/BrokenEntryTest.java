package dev.roster.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.RedisNodes;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An entry that lost a chunk, in whatever window, is dropped: one cut-short answer, then it is recomputed. */
@QuarkusTest
@TestProfile(BrokenEntryTest.SmallChunks.class)
class BrokenEntryTest {

    private static final int MEMBERS = 1_001;
    private static final Duration WAIT = Duration.ofSeconds(5);

    /**
     * Tiny chunks and windows, so that a listing of a thousand members spans dozens of windows even stored
     * compressed (about 10 KB).
     */
    public static class SmallChunks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "roster.cache.chunk-bytes", "256",
                    "roster.cache.max-value-bytes", "256",
                    "roster.cache.chunk-window", "2");
        }
    }

    @Inject
    Redis redis;

    @Inject
    RosterCacheConfig config;

    private List<String> chunkKeys() {
        return RedisNodes.fromConfig().keys(config.keyPrefix() + ":c:*");
    }

    /** The last chunk of the load with the most chunks (the big listing's). */
    private String lastChunkOfBiggestLoad() {
        Map<String, List<String>> byLoad = new HashMap<>();
        for (String key : chunkKeys()) {
            byLoad.computeIfAbsent(key.substring(0, key.lastIndexOf(':')), k -> new ArrayList<>())
                    .add(key);
        }
        List<String> biggest = byLoad.values().stream()
                .max(Comparator.comparingInt(List::size))
                .orElseThrow();
        assertTrue(biggest.size() > 8, "the listing spans several windows: " + biggest.size());
        return biggest.stream()
                .max(Comparator.comparingInt(k -> Integer.parseInt(k.substring(k.lastIndexOf(':') + 1))))
                .orElseThrow();
    }

    private static String listing(String team) {
        return Api.listing(team).then().statusCode(200).extract().asString();
    }

    @Test
    void shouldRecomputeAListingWhoseChunkBeyondTheFirstWindowIsGone() {
        String team = Unique.name("chunks");
        Api.bulkTeam(team, MEMBERS);
        String whole = listing(team);
        assertTrue(Api.listing(team).header("Cache-Status").contains("hit"));
        redis.send(Request.cmd(Command.DEL).arg(lastChunkOfBiggestLoad()))
                .await()
                .atMost(WAIT);
        try {
            Api.listing(team).asString();
        } catch (Exception cutShort) {
            // The answer that found the gap was already streaming: it can only be cut short.
        }
        assertEquals(whole, listing(team), "the next answer is whole again");
    }
}
