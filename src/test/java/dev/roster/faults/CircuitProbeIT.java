package dev.roster.faults;

import static dev.roster.faults.RosterClient.cacheStatus;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The circuit breaker's half-open probe is a request like any other, and its client may go away: the circuit
 * must still close once Redis answers again (the instance uses the cache again), and evictions must reach Redis
 * again (a write through A is seen by B right after A's answer).
 */
class CircuitProbeIT {

    @RegisterExtension
    static final FaultFleet FLEET = FaultFleet.controllingRedis("it freezes the Redis process with SIGSTOP");

    /** Longer than {@code roster.cache.circuit-open-duration} (1 s by default). */
    private static final Duration PAST_OPEN_PERIOD = Duration.ofMillis(1500);

    private final RosterClient client = new RosterClient();

    @Test
    void shouldUseTheCacheAgainWhenTheClientOfTheHalfOpenProbeDisconnected() throws Exception {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        String name = Unique.name("probe");
        client.create(a, name, Unique.name("probe-team"), "before@example.com");
        client.warm(a, memberPath(name));

        FLEET.redis().freeze();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!circuit(a).contains("OPEN")) {
                assertTrue(System.nanoTime() < deadline, "precondition: the circuit did not open: " + circuit(a));
                assertEquals(200, client.get(a, memberPath(name)).statusCode());
            }
            assertTrue(probeAndLeave(a, name), "precondition: no request became the half-open probe");
        } finally {
            FLEET.redis().thaw();
        }

        boolean hitAgain = false;
        String lastStatus = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!hitAgain && System.nanoTime() < deadline) {
            client.get(a, memberPath(name));
            HttpResponse<String> second = client.get(a, memberPath(name));
            lastStatus = cacheStatus(second) + ", circuit " + circuit(a);
            hitAgain = cacheStatus(second).contains("hit");
            Thread.sleep(200);
        }

        client.warm(b, memberPath(name));
        HttpResponse<String> put = client.put(a, name, Unique.name("probe-team"), "after@example.com");
        assertEquals(200, put.statusCode(), put.body());
        String seenByB =
                client.member(b, name).map(m -> m.path("email").asText()).orElse(null);

        boolean cacheUsed = hitAgain;
        String last = lastStatus;
        assertAll(
                () -> assertTrue(cacheUsed, "A did not use the cache again within 10 s of the thaw; last: " + last),
                () -> assertEquals("after@example.com", seenByB, "B right after A answered the PUT"));
    }

    /**
     * After the open period, sends a GET whose client leaves while it is the probe: the readiness data shows
     * the circuit PROBING (the probe waits up to the Redis timeout for the frozen Redis), and the socket is
     * closed right then. A probe that already failed before it was seen is retried after the next open period.
     */
    private boolean probeAndLeave(Fleet.Instance a, String name) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            Thread.sleep(PAST_OPEN_PERIOD.toMillis()); // the next request is the probe
            try (Socket probe = RosterClient.raw(a, "GET " + memberPath(name) + " HTTP/1.1\nHost: 127.0.0.1\n", null)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (System.nanoTime() < deadline) {
                    if (circuit(a).equals("PROBING")) {
                        return true; // the client goes away now, while its request probes Redis
                    }
                }
            }
        }
        return false;
    }

    private String circuit(Fleet.Instance instance) {
        HttpResponse<String> ready = client.management(instance, "GET", "/q/health/ready", null);
        return ready.body().replaceAll("(?s).*\"circuit\"\\s*:\\s*\"([A-Z]+)\".*", "$1");
    }
}
