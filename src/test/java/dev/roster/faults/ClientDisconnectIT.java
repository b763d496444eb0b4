package dev.roster.faults;

import static dev.roster.faults.RosterClient.listingPath;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.support.Fleet;
import dev.roster.support.TcpProxy;
import dev.roster.support.Unique;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that goes away while its write is on its way to MongoDB: the write may land after the client left,
 * and then it must be what every instance serves, within moments of MongoDB's answer; never the old data once
 * the new has been seen.
 */
class ClientDisconnectIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    /** How long MongoDB's answer to the write is held by the proxy. */
    private static final Duration REPLY_DELAY = Duration.ofMillis(1500);
    /** How long after MongoDB's answer reached the instance every view must be current. */
    private static final Duration CONVERGE = Duration.ofSeconds(5);

    private final RosterClient client = new RosterClient();

    @Test
    void shouldServeTheMoveOnBothInstancesWhenTheClientLeavesBeforeThePutIsAnswered() throws Exception {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        TcpProxy proxy = FLEET.proxy();
        String name = Unique.name("gone-put");
        String from = Unique.name("gone-from");
        String to = Unique.name("gone-to");
        client.create(a, name, from, "old@example.com");
        for (Fleet.Instance i : List.of(a, b)) {
            client.warm(i, memberPath(name));
            client.warm(i, listingPath(from));
            client.warm(i, listingPath(to));
        }

        long sent = proxy.forwarded("update");
        long answered = proxy.answered("update");
        proxy.delayRepliesTo(REPLY_DELAY, "update");
        byte[] body = RosterClient.memberJson(null, to, "new@example.com").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = RosterClient.raw(
                a,
                "PUT " + memberPath(name) + " HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + RosterClient.WRITER
                        + "\nContent-Type: application/json\nContent-Length: " + body.length + "\n",
                body)) {
            awaitAbove(proxy::forwarded, "update", sent, "the PUT's write to reach MongoDB");
        } // the client leaves: MongoDB has the write, the instance not yet its answer
        awaitAbove(proxy::answered, "update", answered, "MongoDB's answer to reach the instance");
        proxy.pass();

        try (StoredMembers stored = new StoredMembers(FLEET.fleet())) {
            assertEquals(Optional.of(to), stored.teamOf(name), "precondition: the write landed in MongoDB");
        }
        Map<String, View> views = new LinkedHashMap<>();
        views.put(
                "member",
                i -> client.member(i, name)
                        .map(m -> m.get("team").asText().equals(to))
                        .orElse(false));
        views.put("listing of the old team", i -> !client.listing(i, from).containsKey(name));
        views.put("listing of the new team", i -> client.listing(i, to).containsKey(name));
        converge(List.of(a, b), views);
    }

    @Test
    void shouldServeWhatTheDatabaseHoldsOnBothInstancesWhenABulkUploadIsAbortedMidBatch() throws Exception {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        TcpProxy proxy = FLEET.proxy();
        String from = Unique.name("gone-bulk-from");
        String to = Unique.name("gone-bulk-to");
        List<String> names = new ArrayList<>();
        StringBuilder setup = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            String name = from + "-m" + String.format("%02d", i);
            names.add(name);
            setup.append(RosterClient.memberJson(name, from, null)).append('\n');
        }
        client.bulk(a, setup.toString());
        for (Fleet.Instance i : List.of(a, b)) {
            for (String name : names) {
                client.warm(i, memberPath(name));
            }
            client.warm(i, listingPath(from));
            client.warm(i, listingPath(to));
        }

        // 25 lines move everyone (batches of 10: two whole batches and a partial one); the body announces 40
        // lines and the client leaves after the first batch's write reached MongoDB.
        StringBuilder moves = new StringBuilder();
        for (String name : names) {
            moves.append(RosterClient.memberJson(name, to, null)).append('\n');
        }
        byte[] sentPart = moves.toString().getBytes(StandardCharsets.UTF_8);
        long announced = sentPart.length * 40L / 25;
        long updates = proxy.forwarded("update");
        proxy.delayRepliesTo(Duration.ofSeconds(1), "update");
        try (Socket socket = RosterClient.raw(
                a,
                "POST /members/bulk HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + RosterClient.WRITER
                        + "\nContent-Type: application/x-ndjson\nContent-Length: " + announced + "\n",
                sentPart)) {
            awaitAbove(proxy::forwarded, "update", updates, "the first batch's write to reach MongoDB");
        }
        awaitQuiet(proxy, "update");
        proxy.pass();

        Map<String, String> truth;
        try (StoredMembers stored = new StoredMembers(FLEET.fleet())) {
            truth = stored.teamsOf(names);
        }
        long moved = truth.values().stream().filter(to::equals).count();
        System.out.println("[aborted bulk] MongoDB holds " + moved + " of 25 members moved");
        Map<String, View> views = new LinkedHashMap<>();
        for (String name : names) {
            views.put(
                    "member " + name,
                    i -> client.member(i, name)
                            .map(m -> m.get("team").asText().equals(truth.get(name)))
                            .orElse(false));
        }
        views.put("listing of the old team", i -> sameNames(client.listing(i, from), truth, from));
        views.put("listing of the new team", i -> sameNames(client.listing(i, to), truth, to));
        converge(List.of(a, b), views);
    }

    /** Something a client reads from one instance: current (true) or still from before the write (false). */
    private interface View {
        boolean current(Fleet.Instance instance);
    }

    private static boolean sameNames(Map<String, JsonNode> listing, Map<String, String> truth, String team) {
        TreeSet<String> expected = new TreeSet<>();
        truth.forEach((name, t) -> {
            if (t.equals(team)) {
                expected.add(name);
            }
        });
        return expected.equals(new TreeSet<>(listing.keySet()));
    }

    /**
     * Reads every view on every instance until all are current, for at most {@link #CONVERGE}; a view that was
     * current once and is old again fails at once.
     */
    private static void converge(List<Fleet.Instance> instances, Map<String, View> views) throws InterruptedException {
        Map<String, Boolean> seenCurrent = new HashMap<>();
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        List<String> stale;
        int rounds = 0;
        do {
            rounds++;
            stale = new ArrayList<>();
            for (Fleet.Instance instance : instances) {
                for (var view : views.entrySet()) {
                    String key = instance.name() + ": " + view.getKey();
                    boolean current = view.getValue().current(instance);
                    if (current) {
                        seenCurrent.put(key, true);
                    } else if (seenCurrent.containsKey(key)) {
                        fail(key + " served the old data again after it had served the new");
                    } else {
                        stale.add(key);
                    }
                }
            }
            if (stale.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        fail("still serving data from before the write " + CONVERGE.toSeconds() + " s after MongoDB answered (" + rounds
                + " rounds of reads): " + stale);
    }

    private static void awaitAbove(
            java.util.function.ToLongFunction<String> counter, String command, long before, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (counter.applyAsLong(command) <= before) {
            assertTrue(System.nanoTime() < deadline, "precondition: waited 10 s for " + what);
            Thread.sleep(5);
        }
    }

    /** Waits until every request of this command was answered and none was sent for a while. */
    private static void awaitQuiet(TcpProxy proxy, String command) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        LongSupplier sent = () -> proxy.forwarded(command);
        long last = sent.getAsLong();
        long quietSince = System.nanoTime();
        while (true) {
            assertTrue(System.nanoTime() < deadline, "precondition: the aborted bulk kept writing for 15 s");
            long now = sent.getAsLong();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (proxy.answered(command) >= now
                    && System.nanoTime() - quietSince > Duration.ofMillis(1500).toNanos()) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
