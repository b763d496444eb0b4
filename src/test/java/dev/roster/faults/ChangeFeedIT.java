package dev.roster.faults;

import static dev.roster.faults.RosterClient.listingPath;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.roster.support.Fleet;
import dev.roster.support.NamedServers;
import dev.roster.support.RedisNodes;
import dev.roster.support.TcpProxy;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Eviction that does not ride on the writer's own path to Redis: every instance follows MongoDB's change stream,
 * so a change reaches every instance's answers whoever made it and whatever happened to the writer. Each test
 * caches the views on both instances first (a hit on each), then changes the data, then waits until both serve
 * the change; how long that took is printed (timings of record come from bench/, not from here).
 */
class ChangeFeedIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    /** Far beyond the promise (a change served within 1 s); a stale view past it is a failure. */
    private static final Duration WITHIN = Duration.ofSeconds(10);

    /** An instance of its own that reaches Redis through {@link #cut}, to be cut from Redis alone. */
    private static final String CUT = "feed-cut";

    private static MongoClient mongo;
    private static MongoCollection<org.bson.Document> members;
    private static TcpProxy cut;
    private final RosterClient client = new RosterClient();

    @BeforeAll
    static void connect() throws Exception {
        mongo = MongoClients.create(FLEET.directMongoUri());
        members = mongo.getDatabase(FLEET.fleet().database()).getCollection("members");
        Optional<RedisNodes.Node> redis = FLEET.fleet().standaloneRedis();
        if (redis.isPresent()) {
            cut = new TcpProxy(redis.get().host(), redis.get().port(), TcpProxy.Framing.RAW);
            FLEET.fleet()
                    .start(
                            CUT,
                            List.of("-Dquarkus.redis.hosts="
                                    + redis.get().at("127.0.0.1", cut.port()).uri()));
        }
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (cut != null) {
            FLEET.fleet().stop(CUT);
            cut.close();
        }
        mongo.close();
    }

    @Test
    void shouldServeAMoveMadeDirectlyInMongoDbOnEveryInstance() throws Exception {
        Seeded s = seed("direct");
        members.updateOne(Filters.eq("name", s.name), Updates.set("team", s.to));
        long written = System.nanoTime();
        awaitMoved(s, "a move made directly in MongoDB");
        System.out.printf(
                "[change-feed] both instances served a move made directly in MongoDB %d ms after it%n",
                (System.nanoTime() - written) / 1_000_000);
    }

    @Test
    void shouldServeAWriteAnsweredByAnInstanceCutFromRedisOnTheOther() throws Exception {
        NamedServers.skipUnless(
                cut != null,
                "a TCP proxy cannot cut one instance from a Redis Cluster (its client connects to the nodes the"
                        + " cluster names)");
        Seeded s = seed("cut");
        Fleet.Instance writer = FLEET.fleet().instance(CUT);
        cut.refuse();
        try {
            HttpResponse<String> put = client.put(writer, s.name, s.to, null);
            assertEquals(200, put.statusCode(), put.body());
            long answered = System.nanoTime();
            awaitFresh(List.of(FLEET.a(), FLEET.b()), s, "a PUT answered by an instance that could not reach Redis");
            System.out.printf(
                    "[change-feed] A and B served the write %d ms after an instance cut from Redis answered it%n",
                    (System.nanoTime() - answered) / 1_000_000);
        } finally {
            cut.pass();
        }
    }

    @Test
    void shouldServeChangesMadeWhileTheInstancesCouldNotReachMongoDb() throws Exception {
        Seeded s = seed("outage");
        FLEET.proxy().refuse();
        members.updateOne(Filters.eq("name", s.name), Updates.set("team", s.to));
        Thread.sleep(3_000);
        FLEET.proxy().pass();
        awaitMoved(s, "a move made while the instances' change streams were cut from MongoDB");
    }

    @Test
    void shouldServeAChangeMadeWhileAnInstanceWasDown() throws Exception {
        Seeded s = seed("down");
        Fleet.Instance a = FLEET.a();
        a.process().destroyForcibly().waitFor();
        members.updateOne(Filters.eq("name", s.name), Updates.set("team", s.to));
        awaitFresh(List.of(FLEET.b()), s, "a move made while A was down");
        // The next test's set-up restarts A; it must then serve the move too (it reads the same Redis).
    }

    @Test
    void shouldServeAnInsertAndADeleteMadeDirectlyInMongoDb() throws Exception {
        Seeded s = seed("insdel");
        String newcomer = Unique.name("feed-new");
        members.insertOne(new Document("name", newcomer).append("team", s.from).append("version", 1L));
        members.deleteOne(Filters.eq("name", s.name));
        List<String> stale = new ArrayList<>();
        for (Fleet.Instance i : List.of(FLEET.a(), FLEET.b())) {
            await(i, listingPath(s.from), l -> contains(l, newcomer) && !contains(l, s.name), stale);
            awaitStatus(i, memberPath(s.name), 404, stale);
        }
        assertEquals(List.of(), stale, "views still stale " + WITHIN.toSeconds() + " s after the change");
    }

    private record Seeded(String name, String from, String to) {}

    /** A member in team {@code from}, its views (and {@code to}'s listing) cached on both instances. */
    private Seeded seed(String label) throws Exception {
        Seeded s = new Seeded(Unique.name("feed-" + label), Unique.name("feed-from"), Unique.name("feed-to"));
        client.create(FLEET.a(), s.name, s.from, null);
        for (Fleet.Instance i : List.of(FLEET.a(), FLEET.b())) {
            client.warm(i, memberPath(s.name));
            client.warm(i, listingPath(s.from));
            client.warm(i, listingPath(s.to));
            assertTrue(
                    RosterClient.cacheStatus(client.get(i, listingPath(s.from))).contains("hit"));
        }
        return s;
    }

    private void awaitMoved(Seeded s, String what) throws Exception {
        awaitFresh(List.of(FLEET.a(), FLEET.b()), s, what);
    }

    private void awaitFresh(List<Fleet.Instance> instances, Seeded s, String what) throws Exception {
        List<String> stale = new ArrayList<>();
        for (Fleet.Instance i : instances) {
            await(i, memberPath(s.name), m -> m.get("team").asText().equals(s.to), stale);
            await(i, listingPath(s.from), l -> !contains(l, s.name), stale);
            await(i, listingPath(s.to), l -> contains(l, s.name), stale);
        }
        assertEquals(List.of(), stale, what + ": views still stale " + WITHIN.toSeconds() + " s after it");
    }

    /** Waits until {@code path} on {@code i} answers 200 with a body that passes {@code fresh}. */
    private void await(Fleet.Instance i, String path, Predicate<JsonNode> fresh, List<String> stale) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = client.get(i, path);
            if (last.statusCode() == 200 && fresh.test(RosterClient.json(last))) {
                return;
            }
            Thread.sleep(20);
        }
        stale.add(i.name() + " " + path + " (" + (last == null ? "no answer" : RosterClient.cacheStatus(last)) + ")");
    }

    private void awaitStatus(Fleet.Instance i, String path, int status, List<String> stale) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.get(i, path).statusCode() == status) {
                return;
            }
            Thread.sleep(20);
        }
        stale.add(i.name() + " " + path + " not " + status);
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
