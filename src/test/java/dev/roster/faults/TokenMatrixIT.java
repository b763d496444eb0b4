package dev.roster.faults;

import static dev.roster.faults.RosterClient.contentType;
import static dev.roster.faults.RosterClient.listingPath;
import static dev.roster.faults.RosterClient.memberPath;
import static dev.roster.faults.RosterClient.query;
import static dev.roster.faults.RosterClient.segment;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Every write route and every cache admin route, with no token, an invalid one, a valid one without
 * {@code roster-writer}, and a writer's: 401, 401, 403 (problem+json, nothing changed), success.
 */
class TokenMatrixIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private final RosterClient client = new RosterClient();
    private Fleet.Instance a;
    private Fleet.Instance b;

    private String team;
    private String otherTeam;
    private String doomedTeam;
    private String created;
    private String replaced;
    private String deleted;
    private String doomedMember;
    private String bulked;
    private String evicted;
    private String tagEvicted;

    /**
     * One route: how to call it with a token (null: no Authorization header), its success status, and a
     * check, run after the call, of whether it changed anything (null when nothing changed; always null for a
     * read-only route).
     */
    private record Route(
            String label, Function<String, HttpResponse<String>> call, int success, Supplier<String> change) {
        boolean readOnly() {
            return label.startsWith("GET ");
        }
    }

    @BeforeEach
    void data() {
        a = FLEET.a();
        b = FLEET.b();
        team = Unique.name("tok-team");
        otherTeam = Unique.name("tok-other");
        doomedTeam = Unique.name("tok-doomed");
        created = Unique.name("tok-created");
        replaced = Unique.name("tok-replaced");
        deleted = Unique.name("tok-deleted");
        doomedMember = Unique.name("tok-doomed-member");
        bulked = Unique.name("tok-bulked");
        evicted = Unique.name("tok-evicted");
        tagEvicted = Unique.name("tok-tag-evicted");
        client.create(a, replaced, team, null);
        client.create(a, deleted, team, null);
        client.create(a, doomedMember, doomedTeam, null);
        client.create(a, evicted, team, null);
        client.create(a, tagEvicted, team, null);
        client.warm(a, memberPath(evicted));
        client.warm(a, memberPath(tagEvicted));
    }

    private List<Route> routes() {
        return List.of(
                new Route(
                        "POST /members",
                        token -> client.send(
                                a.uri("/members"),
                                "POST",
                                token,
                                "application/json",
                                RosterClient.memberJson(created, team, null)),
                        201,
                        () -> client.member(b, created).isPresent() ? "the member was created" : null),
                new Route(
                        "PUT /members/{name}",
                        token -> client.send(
                                a.uri(memberPath(replaced)),
                                "PUT",
                                token,
                                "application/json",
                                RosterClient.memberJson(null, otherTeam, null)),
                        200,
                        () -> client.member(b, replaced)
                                        .map(m -> m.get("team").asText())
                                        .orElse("")
                                        .equals(team)
                                ? null
                                : "the member was replaced or removed"),
                new Route(
                        "DELETE /members/{name}",
                        token -> client.send(a.uri(memberPath(deleted)), "DELETE", token, null, null),
                        204,
                        () -> client.member(b, deleted).isEmpty() ? "the member was deleted" : null),
                new Route(
                        "DELETE /teams/{team}",
                        token -> client.send(a.uri("/teams/" + segment(doomedTeam)), "DELETE", token, null, null),
                        200,
                        () -> client.listing(b, doomedTeam).containsKey(doomedMember) ? null : "the team was deleted"),
                new Route(
                        "POST /members/bulk",
                        token -> client.send(
                                a.uri("/members/bulk"),
                                "POST",
                                token,
                                "application/x-ndjson",
                                RosterClient.memberJson(bulked, team, null) + "\n"),
                        200,
                        () -> client.member(b, bulked).isPresent() ? "the bulk line was applied" : null),
                new Route(
                        "GET /q/roster/cache/explain",
                        token -> client.management(
                                a, "GET", "/q/roster/cache/explain?path=" + query(listingPath(team)), token),
                        200,
                        () -> null),
                new Route(
                        "POST /q/roster/cache/evict",
                        token -> client.management(
                                a, "POST", "/q/roster/cache/evict?path=" + query(memberPath(evicted)), token),
                        200,
                        () -> RosterClient.cacheStatus(client.get(a, memberPath(evicted)))
                                        .contains("hit")
                                ? null
                                : "the entry was evicted"),
                new Route(
                        "POST /q/roster/cache/evict-tag",
                        token -> client.management(
                                a, "POST", "/q/roster/cache/evict-tag?kind=member&value=" + query(tagEvicted), token),
                        200,
                        () -> RosterClient.cacheStatus(client.get(a, memberPath(tagEvicted)))
                                        .contains("hit")
                                ? null
                                : "the tag was bumped"));
    }

    private List<Executable> refusals(String token, String credentials, int status) {
        List<Executable> checks = new ArrayList<>();
        for (Route route : routes()) {
            checks.add(() -> {
                HttpResponse<String> r = route.call().apply(token);
                String change = route.change().get();
                String what = route.label() + " with " + credentials;
                assertAll(
                        what,
                        () -> assertEquals(status, r.statusCode(), what + " answered: " + r.body()),
                        () -> assertTrue(
                                contentType(r).startsWith("application/problem+json"),
                                what + " Content-Type: " + contentType(r)),
                        () -> assertEquals(null, change, what + " must change nothing"));
            });
        }
        return checks;
    }

    @Test
    void shouldAnswer401ProblemAndChangeNothingWhenTheTokenIsMissingOrInvalid() {
        List<Executable> checks = new ArrayList<>(refusals(null, "no token", 401));
        checks.addAll(refusals("not-a-jwt", "an invalid token", 401));
        assertAll(checks);
    }

    @Test
    void shouldAnswer403ProblemAndChangeNothingWhenTheTokenLacksTheWriterRole() {
        assertAll(refusals(RosterClient.READER, "a reader token", 403));
    }

    @Test
    void shouldApplyEveryWriteAndAdminCallWhenTheTokenHasTheWriterRole() {
        List<Executable> checks = new ArrayList<>();
        for (Route route : routes()) {
            checks.add(() -> {
                HttpResponse<String> r = route.call().apply(RosterClient.WRITER);
                String change = route.change().get();
                assertAll(
                        route.label() + " with a writer token",
                        () -> assertEquals(route.success(), r.statusCode(), route.label() + " answered: " + r.body()),
                        () -> assertTrue(
                                change != null || route.readOnly(), route.label() + " should have taken effect"));
            });
        }
        assertAll(checks);
    }
}
