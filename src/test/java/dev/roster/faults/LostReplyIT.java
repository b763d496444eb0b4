package dev.roster.faults;

import static dev.roster.faults.RosterClient.contentType;
import static dev.roster.faults.RosterClient.listingPath;
import static dev.roster.faults.RosterClient.memberPath;
import static dev.roster.faults.RosterClient.segment;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import dev.roster.support.TcpProxy;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * MongoDB applies a write but its reply is lost (the proxy swallows it; the instance's driver times out after
 * 2 s): the client gets a 503, yet the write landed, so the moment that 503 is answered no instance may serve
 * anything from before the write: not the member, not the listings, not {@code /teams}.
 */
class LostReplyIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private final RosterClient client = new RosterClient();

    @Test
    void shouldServeTheMoveEverywhereWhenThePutReplyIsLost() {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        String name = Unique.name("lost-put");
        String from = Unique.name("lost-put-from");
        String to = Unique.name("lost-put-to");
        client.create(a, name, from, null);
        warm(name, from, to);

        HttpResponse<String> put = withRepliesDropped("update", () -> client.put(a, name, to, null));

        assertUnavailable(put);
        assertLanded(name, Optional.of(to));
        List<Executable> views = client.movedEverywhere(List.of(a, b), name, from, to);
        for (Fleet.Instance i : List.of(a, b)) {
            views.add(() -> assertEquals(0, client.teamCount(i, from), i.name() + ": /teams count of the old team"));
            views.add(() -> assertEquals(1, client.teamCount(i, to), i.name() + ": /teams count of the new team"));
        }
        assertAll("right after the 503 of the PUT", views);
    }

    @Test
    void shouldServeTheDeletionEverywhereWhenTheDeleteReplyIsLost() {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        String name = Unique.name("lost-del");
        String stays = Unique.name("lost-del-stays");
        String team = Unique.name("lost-del-team");
        client.create(a, name, team, null);
        client.create(a, stays, team, null);
        warm(name, team, null);

        HttpResponse<String> delete = withRepliesDropped(
                "delete", () -> client.send(a.uri(memberPath(name)), "DELETE", RosterClient.WRITER, null, null));

        assertUnavailable(delete);
        assertLanded(name, Optional.empty());
        List<Executable> views = new ArrayList<>();
        for (Fleet.Instance i : List.of(a, b)) {
            views.add(() -> assertEquals(Optional.empty(), client.member(i, name), i.name() + ": the member"));
            views.add(() -> assertFalse(
                    client.listing(i, team).containsKey(name), i.name() + ": the team's listing still has it"));
            views.add(() -> assertEquals(1, client.teamCount(i, team), i.name() + ": /teams count of the team"));
        }
        assertAll("right after the 503 of the DELETE", views);
    }

    @Test
    void shouldServeTheTeamDeletionEverywhereWhenTheTeamDeleteReplyIsLost() {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        String team = Unique.name("lost-team");
        List<String> names = List.of(team + "-m1", team + "-m2", team + "-m3");
        for (String name : names) {
            client.create(a, name, team, null);
        }
        for (String name : names) {
            warm(name, team, null);
        }

        HttpResponse<String> delete = withRepliesDropped(
                "delete",
                () -> client.send(a.uri("/teams/" + segment(team)), "DELETE", RosterClient.WRITER, null, null));

        assertUnavailable(delete);
        for (String name : names) {
            assertLanded(name, Optional.empty());
        }
        List<Executable> views = new ArrayList<>();
        for (Fleet.Instance i : List.of(a, b)) {
            for (String name : names) {
                views.add(() -> assertEquals(Optional.empty(), client.member(i, name), i.name() + ": " + name));
            }
            views.add(() ->
                    assertEquals(List.of(), List.copyOf(client.listing(i, team).keySet()), i.name() + ": the listing"));
            views.add(() -> assertEquals(0, client.teamCount(i, team), i.name() + ": /teams count of the team"));
        }
        assertAll("right after the 503 of the team DELETE", views);
    }

    /** Member, listings and {@code /teams} on both instances, each read twice so that it is a cached hit. */
    private void warm(String name, String team, String otherTeam) {
        for (Fleet.Instance i : List.of(FLEET.a(), FLEET.b())) {
            client.warm(i, memberPath(name));
            client.warm(i, listingPath(team));
            if (otherTeam != null) {
                client.warm(i, listingPath(otherTeam));
            }
            client.warm(i, "/teams");
        }
    }

    private static HttpResponse<String> withRepliesDropped(
            String command, java.util.function.Supplier<HttpResponse<String>> write) {
        TcpProxy proxy = FLEET.proxy();
        long swallowed = proxy.swallowed();
        proxy.dropRepliesTo(command);
        try {
            HttpResponse<String> answer = write.get();
            assertTrue(proxy.swallowed() > swallowed, "precondition: MongoDB's reply to " + command + " was lost");
            return answer;
        } finally {
            proxy.pass();
        }
    }

    private static void assertUnavailable(HttpResponse<String> r) {
        assertAll(
                "the write whose reply was lost",
                () -> assertEquals(503, r.statusCode(), r.body()),
                () -> assertTrue(contentType(r).startsWith("application/problem+json"), contentType(r)));
    }

    private static void assertLanded(String name, Optional<String> team) {
        try (StoredMembers stored = new StoredMembers(FLEET.fleet())) {
            assertEquals(team, stored.teamOf(name), "precondition: the write landed in MongoDB");
        }
    }
}
