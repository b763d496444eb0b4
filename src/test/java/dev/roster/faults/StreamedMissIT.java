package dev.roster.faults;

import static dev.roster.faults.RosterClient.listingPath;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streamed listing (a team over {@code roster.listing.whole-limit}, 50 in the fault fleet) computed on a miss
 * whose body is never written: A answers {@code If-None-Match: *} without a body. A holds the fleet-wide lease
 * for that key while it computes; once it has answered, nobody may be left waiting for an entry A will never
 * store. B, asked right after A's answer, serves the whole listing without giving up on a lease.
 *
 * <p>The fault fleet waits at most 2 s for another instance's lease ({@code roster.cache.lease-wait}); the
 * lease itself lives 5 s. So a lease left behind by A shows as a lease timeout on B
 * ({@code roster_cache_lease_timeouts_total}), without timing anything in the test.
 */
class StreamedMissIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private static final int MEMBERS = 60;
    private static final Pattern LEASE_TIMEOUTS =
            Pattern.compile("(?m)^roster_cache_lease_timeouts_total\\{[^}]*cache=\"team-listing\"[^}]*} ([0-9.E+-]+)$");

    private final RosterClient client = new RosterClient();

    @Test
    void shouldServeTheWholeListingOnBWithoutALeaseTimeoutWhenAAnsweredTheColdStreamWithoutABody() {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        String team = Unique.name("streamed");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < MEMBERS; i++) {
            lines.append(RosterClient.memberJson(team + "-" + String.format("%03d", i), team, null))
                    .append('\n');
        }
        client.bulk(a, lines.toString());
        double timeoutsBefore = leaseTimeouts(b);

        HttpResponse<String> onA = client.get(a, listingPath(team), "If-None-Match", "*");
        long start = System.nanoTime();
        HttpResponse<String> onB = client.get(b, listingPath(team));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        double timeoutsAfter = leaseTimeouts(b);
        System.out.printf(
                "[streamed miss] A answered %d (%s) to If-None-Match: *; B answered %d (%s) in %d ms%n",
                onA.statusCode(),
                RosterClient.cacheStatus(onA),
                onB.statusCode(),
                RosterClient.cacheStatus(onB),
                tookMillis);

        assertEquals(200, onB.statusCode(), onB.body());
        JsonNode listing = RosterClient.json(onB);
        assertAll(
                () -> assertEquals(MEMBERS, listing.get("count").asInt(), "count"),
                () -> assertEquals(MEMBERS, listing.get("members").size(), "members in B's body"),
                () -> assertEquals(
                        0.0,
                        timeoutsAfter - timeoutsBefore,
                        "B gave up waiting for a lease that A, having answered, never released"));
    }

    private double leaseTimeouts(Fleet.Instance instance) {
        String metrics = client.management(instance, "GET", "/q/metrics", null).body();
        double total = 0;
        Matcher m = LEASE_TIMEOUTS.matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
