package dev.roster.faults;

import static dev.roster.faults.RosterClient.cacheStatus;
import static dev.roster.faults.RosterClient.listingPath;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis restarts from a snapshot taken before a write (a Redis with RDB persistence that crashed, or a replica
 * promoted with older data): its entries and tag generations are from before the write. The instances reconnect
 * by themselves, and must serve the write, never the older cached answers.
 */
class RedisSnapshotIT {

    @RegisterExtension
    static final FaultFleet FLEET = FaultFleet.controllingRedis("it kills Redis and restarts it from a snapshot");

    /** Answers from the cache (not bypassing it) each view must give on each instance after the restart. */
    private static final int CACHED_ANSWERS = 2;

    private final RosterClient client = new RosterClient();

    @Test
    void shouldServeTheNewMemberAndListingWhenRedisComesBackFromAnOlderSnapshot() throws Exception {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        String name = Unique.name("snap");
        String from = Unique.name("snap-from");
        String to = Unique.name("snap-to");
        client.create(a, name, from, null);
        for (Fleet.Instance i : List.of(a, b)) {
            client.warm(i, memberPath(name));
            client.warm(i, listingPath(from));
            client.warm(i, listingPath(to));
        }
        assertEquals("OK", FLEET.redis().command("SAVE"));

        HttpResponse<String> put = client.put(a, name, to, null);
        assertEquals(200, put.statusCode(), put.body());
        FLEET.redis().kill();
        FLEET.redis().start();

        Map<String, Predicate<JsonNode>> views = new HashMap<>();
        views.put(memberPath(name), m -> m.get("team").asText().equals(to));
        views.put(listingPath(from), l -> !contains(l, name));
        views.put(listingPath(to), l -> contains(l, name));
        List<String> stale = new ArrayList<>();
        Map<String, Integer> cached = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        boolean done;
        do {
            done = true;
            for (Fleet.Instance i : List.of(a, b)) {
                for (var view : views.entrySet()) {
                    String key = i.name() + " " + view.getKey();
                    if (cached.getOrDefault(key, 0) >= CACHED_ANSWERS) {
                        continue;
                    }
                    done = false;
                    HttpResponse<String> r = client.get(i, view.getKey());
                    if (r.statusCode() != 200) {
                        continue;
                    }
                    if (!view.getValue().test(RosterClient.json(r))) {
                        stale.add(key + " (" + cacheStatus(r) + ")");
                    }
                    if (!cacheStatus(r).contains("bypass")) {
                        cached.merge(key, 1, Integer::sum);
                    }
                }
            }
            if (!done) {
                Thread.sleep(100);
            }
        } while (!done && System.nanoTime() < deadline);

        assertEquals(List.of(), stale, "answers from before the PUT, served after Redis came back from its snapshot");
        assertTrue(done, "the instances did not use the cache again within 15 s: " + cached);
    }

    private static boolean contains(JsonNode listing, String name) {
        for (JsonNode m : listing.get("members")) {
            if (m.get("name").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
