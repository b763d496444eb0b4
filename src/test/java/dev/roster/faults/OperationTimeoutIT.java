package dev.roster.faults;

import static dev.roster.faults.RosterClient.listingPath;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import dev.roster.support.TcpProxy;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * The driver's client-side operation timeout ({@code timeoutMS} in the connection string) fires after the
 * command was sent: MongoDB may have applied the write, so the write must evict as if it landed. One more
 * instance of the packaged app beside the fault fleet's, with {@code timeoutMS} of {@value #TIMEOUT_MS} ms;
 * the proxy holds MongoDB's reply to its PUT longer than that while the write lands, then every instance must
 * serve the new value, not its cached copy of the old one.
 */
class OperationTimeoutIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private static final String NAME = "fault-csot";
    private static final long TIMEOUT_MS = 2000;
    /** Long enough past {@link #TIMEOUT_MS} that the driver gives up first, however slow the machine. */
    private static final Duration REPLY_DELAY = Duration.ofMillis(3 * TIMEOUT_MS);

    private final RosterClient client = new RosterClient();

    @BeforeAll
    static void startInstanceWithOperationTimeout() throws Exception {
        Fleet fleet = FLEET.fleet();
        fleet.start(
                NAME, List.of("-Dquarkus.mongodb.connection-string=" + fleet.mongoUriWith("timeoutMS=" + TIMEOUT_MS)));
    }

    @AfterAll
    static void stopInstanceWithOperationTimeout() throws InterruptedException {
        FLEET.fleet().stop(NAME);
    }

    @Test
    void shouldServeTheMoveEverywhereWhenThePutTimesOutAfterItWasSent() {
        Fleet.Instance csot = FLEET.fleet().instance(NAME);
        Fleet.Instance other = FLEET.b();
        String name = Unique.name("csot-put");
        String from = Unique.name("csot-from");
        String to = Unique.name("csot-to");
        client.create(csot, name, from, null);
        for (Fleet.Instance i : List.of(csot, other)) {
            client.warm(i, memberPath(name));
            client.warm(i, listingPath(from));
            client.warm(i, listingPath(to));
        }

        HttpResponse<String> put = withRepliesDelayed("update", () -> client.put(csot, name, to, null));

        assertEquals(503, put.statusCode(), put.body());
        assertTrue(put.headers().firstValue("Retry-After").isPresent(), "a 503 says when to retry");
        try (StoredMembers stored = new StoredMembers(FLEET.fleet())) {
            assertEquals(Optional.of(to), stored.teamOf(name), "precondition: the write landed in MongoDB");
        }
        List<Executable> views = client.movedEverywhere(List.of(csot, other), name, from, to);
        assertAll("right after the 503 of the PUT that timed out", views);
    }

    /** Runs the write while MongoDB's replies to this command are held past the driver's timeoutMS. */
    private static HttpResponse<String> withRepliesDelayed(
            String command, java.util.function.Supplier<HttpResponse<String>> write) {
        TcpProxy proxy = FLEET.proxy();
        long replied = proxy.replied(command);
        long answered = proxy.answered(command);
        proxy.delayRepliesTo(REPLY_DELAY, command);
        try {
            HttpResponse<String> answer = write.get();
            assertTrue(proxy.replied(command) > replied, "precondition: MongoDB executed the " + command);
            assertEquals(answered, proxy.answered(command), "precondition: the reply was still held when answered");
            return answer;
        } finally {
            proxy.pass();
        }
    }
}
