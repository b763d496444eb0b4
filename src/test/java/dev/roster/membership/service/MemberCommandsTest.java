package dev.roster.membership.service;

import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.error.RosterException;
import dev.roster.membership.Member;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The write use cases, driven directly with UniAssertSubscriber against the real MongoDB and Redis. */
@QuarkusTest
class MemberCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    MemberCommands commands;

    @Inject
    MemberJson json;

    private static <T> T item(Uni<T> uni) {
        return uni.subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitItem(WAIT)
                .getItem();
    }

    private static Throwable failure(Uni<?> uni) {
        return uni.subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitFailure(WAIT)
                .getFailure();
    }

    @Test
    void shouldStartAtVersionOneWithMillisecondJoinedAtWhenCreated() {
        Member m = item(commands.create(Unique.name("svc"), "T", null, "dev"));
        assertEquals(1, m.version());
        assertEquals(0, m.joinedAt().getNano() % 1_000_000);
    }

    @Test
    void shouldFailWithConflictWhenNameIsTaken() {
        String name = Unique.name("svc-dup");
        item(commands.create(name, "T", null, null));
        RosterException e = assertInstanceOf(RosterException.class, failure(commands.create(name, "U", null, null)));
        assertEquals(409, e.status());
    }

    @Test
    void shouldReportTheTeamLeftWhenReplaced() {
        String name = Unique.name("svc-move");
        item(commands.create(name, "A", null, null));
        MemberChange change = item(commands.replace(name, "B", null, null, null));
        assertEquals("A", change.before().team());
        assertEquals("B", change.after().team());
        assertEquals(2, change.after().version());
    }

    @Test
    void shouldFailWithPreconditionWhenEtagIsStale() {
        String name = Unique.name("svc-412");
        Member m = item(commands.create(name, "A", null, null));
        String etag = "\"" + json.etagOf(m) + "\"";
        item(commands.replace(name, "A", null, "x", etag));
        RosterException e = assertInstanceOf(RosterException.class, failure(commands.delete(name, etag)));
        assertEquals(412, e.status());
    }

    @Test
    void shouldDeleteAndReportNoAfterState() {
        String name = Unique.name("svc-del");
        item(commands.create(name, "A", null, null));
        assertNull(item(commands.delete(name, "*")).after());
        RosterException e = assertInstanceOf(RosterException.class, failure(commands.delete(name, null)));
        assertEquals(404, e.status());
    }

    /** Reads a view twice so that the second read is a cached copy. */
    /**
     * Reads {@code path} until it is answered from the cache (a precondition: another change's eviction, e.g. the
     * change feed applying an earlier test's write, may land between a store and the next read).
     */
    private static void warm(RequestSpecification spec, String path) {
        spec.get(path);
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertTrue(
                        given().urlEncodingEnabled(false)
                                .get(path)
                                .header("Cache-Status")
                                .contains("hit"),
                        path + " is cached"));
    }

    @Test
    void shouldFinishAndEvictAReplaceWhoseCallerWentAway() {
        String name = Unique.name("svc-gone");
        String from = Unique.name("from");
        String to = Unique.name("to");
        item(commands.create(name, from, null, null));
        warm(given().urlEncodingEnabled(false), "/members/" + name);
        warm(given().urlEncodingEnabled(false), "/teams/" + from + "/members");
        warm(given().urlEncodingEnabled(false), "/teams");
        commands.replace(name, to, null, null, null)
                .subscribe()
                .with(ignored -> {})
                .cancel();
        Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> to.equals(Api.memberView(name).path("team")));
        String left = Api.listing(from).asString();
        assertFalse(left.contains(name), "the old team's listing was evicted");
        assertTrue(Api.listing(to).asString().contains(name));
        assertTrue(get("/teams").asString().contains(to), "the list of teams was evicted");
    }

    @Test
    void shouldEvictTheTeamAndTheListOfTeamsWhenAMemberIsDeleted() {
        String name = Unique.name("svc-del-evict");
        String team = Unique.name("solo");
        item(commands.create(name, team, null, null));
        warm(given().urlEncodingEnabled(false), "/teams/" + team + "/members");
        warm(given().urlEncodingEnabled(false), "/teams");
        item(commands.delete(name, "*"));
        assertFalse(Api.listing(team).asString().contains(name));
        assertFalse(get("/teams").asString().contains(team), "an emptied team leaves the list");
    }
}
