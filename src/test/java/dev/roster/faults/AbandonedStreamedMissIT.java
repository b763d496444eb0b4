package dev.roster.faults;

import static dev.roster.faults.RosterClient.listingPath;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.support.Fleet;
import dev.roster.support.TcpProxy;
import dev.roster.support.Unique;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client asks A for a cold streamed listing (over the fault fleet's 50-member whole limit) and leaves while
 * A's MongoDB read is slow, before A has a body to send: nobody will read A's stream. B, asked for the same
 * listing right after, must not be left waiting for A's lease to expire (5 s).
 *
 * <p>A finishes what it started: its read ends, the stream nobody reads is drained into Redis, the entry is
 * stored and the lease released; B, waiting on the lease, is served that entry. So B computes nothing and gives
 * up on no lease (the fault fleet waits at most 2 s for a lease, {@code roster.cache.lease-wait}: a lease left
 * behind by A shows as a lease timeout on B), and the fleet read MongoDB once. Counted, not timed; B's wall time
 * is printed for the record.
 */
class AbandonedStreamedMissIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private static final int MEMBERS = 60;
    /** How long MongoDB's answers to the listing's find are held: long after A's client left. */
    private static final Duration SLOW_READ = Duration.ofMillis(1500);

    private final RosterClient client = new RosterClient();

    @Test
    void shouldServeBFromAsEntryWithoutALeaseTimeoutWhenAsClientLeftDuringTheSlowColdRead() throws Exception {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        TcpProxy proxy = FLEET.proxy();
        String team = Unique.name("abandoned");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < MEMBERS; i++) {
            lines.append(RosterClient.memberJson(team + "-" + String.format("%03d", i), team, null))
                    .append('\n');
        }
        client.bulk(a, lines.toString());
        double timeoutsBefore = counter(b, "roster_cache_lease_timeouts_total");
        double servedBefore = counter(b, "roster_cache_lease_served_total");
        double loadsBefore = counter(a, "cache_loads_seconds_count") + counter(b, "cache_loads_seconds_count");

        long finds = proxy.forwarded("find");
        long answered = proxy.answered("find");
        proxy.delayRepliesTo(SLOW_READ, "find");
        CompletableFuture<HttpResponse<String>> onBLater;
        long start;
        try {
            try (Socket ignored = RosterClient.raw(
                    a,
                    "GET " + listingPath(team) + " HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer "
                            + RosterClient.READER + "\n",
                    null)) {
                awaitAbove(proxy::forwarded, finds, "A's cold read to reach MongoDB");
            } // the client leaves while A waits for MongoDB: A holds the lease, and nobody will read its body
            start = System.nanoTime();
            onBLater = CompletableFuture.supplyAsync(() -> client.get(b, listingPath(team)));
            // Only A's first read is slow: the rest of the listing, read as A drains it, is not held.
            awaitAbove(proxy::answered, answered, "MongoDB's answer to A's cold read");
        } finally {
            proxy.pass();
        }
        HttpResponse<String> onB = onBLater.get(30, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        double timeoutsAfter = counter(b, "roster_cache_lease_timeouts_total");
        double servedAfter = counter(b, "roster_cache_lease_served_total");
        double loadsAfter = counter(a, "cache_loads_seconds_count") + counter(b, "cache_loads_seconds_count");
        System.out.printf(
                "[abandoned streamed miss] B answered %d (%s) in %d ms; lease timeouts on B +%.0f, served +%.0f,"
                        + " fleet loads +%.0f%n",
                onB.statusCode(),
                RosterClient.cacheStatus(onB),
                tookMillis,
                timeoutsAfter - timeoutsBefore,
                servedAfter - servedBefore,
                loadsAfter - loadsBefore);

        assertEquals(200, onB.statusCode(), onB.body());
        JsonNode listing = RosterClient.json(onB);
        assertAll(
                () -> assertEquals(MEMBERS, listing.get("count").asInt(), "count"),
                () -> assertEquals(MEMBERS, listing.get("members").size(), "members in B's body"),
                () -> assertEquals(
                        0.0, timeoutsAfter - timeoutsBefore, "B gave up waiting for a lease A never released"),
                () -> assertEquals(1.0, servedAfter - servedBefore, "B was served the entry A stored"),
                () -> assertEquals(1.0, loadsAfter - loadsBefore, "MongoDB loads of the listing in the fleet"));
    }

    private double counter(Fleet.Instance instance, String name) {
        Pattern line =
                Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*cache=\"team-listing\"[^}]*} ([0-9.E+-]+)$");
        String metrics = client.management(instance, "GET", "/q/metrics", null).body();
        double total = 0;
        Matcher m = line.matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static void awaitAbove(ToLongFunction<String> counter, long before, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (counter.applyAsLong("find") <= before) {
            assertTrue(System.nanoTime() < deadline, "precondition: waited 10 s for " + what);
            Thread.sleep(5);
        }
    }
}
