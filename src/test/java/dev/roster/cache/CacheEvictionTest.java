package dev.roster.cache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every write route invalidates every view it changes (listing, page, the team list, the member view) and
 * nothing else, as a client sees it through {@code Cache-Status}.
 */
@QuarkusTest
class CacheEvictionTest {

    private String teamA;
    private String teamB;
    private String a1;
    private String a2;
    private String b1;

    @BeforeEach
    void teams() {
        teamA = Unique.name("evA");
        teamB = Unique.name("evB");
        a1 = teamA + "-1";
        a2 = teamA + "-2";
        b1 = teamB + "-1";
        Api.create(a1, teamA).then().statusCode(201);
        Api.create(a2, teamA).then().statusCode(201);
        Api.create(b1, teamB).then().statusCode(201);
    }

    private Map<String, Supplier<Response>> views() {
        Map<String, Supplier<Response>> views = new LinkedHashMap<>();
        views.put("listing A", () -> Api.listing(teamA));
        views.put("page A", () -> given().queryParam("limit", 1).get("/teams/" + teamA + "/members"));
        views.put("listing B", () -> Api.listing(teamB));
        views.put("teams", () -> given().get("/teams"));
        views.put("member a1", () -> Api.memberView(a1));
        views.put("member a2", () -> Api.memberView(a2));
        views.put("member b1", () -> Api.memberView(b1));
        return views;
    }

    /** Warms every view, runs the write, then checks which views missed (were invalidated). */
    private void assertEvicts(Runnable write, String... evicted) {
        Map<String, Supplier<Response>> views = views();
        views.values().forEach(Supplier::get);
        views.forEach(
                (name, view) -> assertTrue(view.get().header("Cache-Status").contains("hit"), name + " warm"));
        write.run();
        java.util.Set<String> expected = java.util.Set.of(evicted);
        views.forEach((name, view) -> {
            String status = view.get().header("Cache-Status");
            assertEquals(expected.contains(name), status.contains("fwd=miss"), name + ": " + status);
        });
    }

    @Test
    void shouldEvictTeamViewsAndListWhenMemberCreated() {
        assertEvicts(() -> Api.create(teamA + "-3", teamA).then().statusCode(201), "listing A", "page A", "teams");
        Api.listing(teamA).then().body("count", org.hamcrest.Matchers.equalTo(3));
    }

    @Test
    void shouldEvictMemberAndItsTeamButNotTheListWhenRoleChanges() {
        assertEvicts(
                () -> given().contentType(ContentType.JSON)
                        .body(Map.of("team", teamA, "role", "lead"))
                        .put("/members/" + a1)
                        .then()
                        .statusCode(200),
                "listing A",
                "page A",
                "member a1");
        Api.memberView(a1).then().body("role", org.hamcrest.Matchers.equalTo("lead"));
    }

    @Test
    void shouldEvictBothTeamsWhenMemberMoves() {
        assertEvicts(
                () -> given().contentType(ContentType.JSON)
                        .body(Map.of("team", teamB))
                        .put("/members/" + a1)
                        .then()
                        .statusCode(200),
                "listing A",
                "page A",
                "listing B",
                "teams",
                "member a1");
    }

    @Test
    void shouldEvictMemberTeamAndListWhenMemberDeleted() {
        assertEvicts(() -> given().delete("/members/" + b1).then().statusCode(204), "listing B", "teams", "member b1");
        Api.memberView(b1).then().statusCode(404);
    }

    @Test
    void shouldEvictTouchedViewsWhenBulkApplies() {
        String body = "{\"name\":\"" + a2 + "\",\"team\":\"" + teamA + "\",\"role\":\"x\"}\n";
        assertEvicts(
                () -> given().contentType("application/x-ndjson")
                        .body(body.getBytes(StandardCharsets.UTF_8))
                        .post("/members/bulk")
                        .then()
                        .statusCode(200),
                "listing A",
                "page A",
                "teams",
                "member a2");
    }

    @Test
    void shouldEvictEveryMemberOfTheTeamWhenTeamDeleted() {
        assertEvicts(
                () -> Api.deleteTeam(teamA).then().statusCode(200),
                "listing A",
                "page A",
                "teams",
                "member a1",
                "member a2");
        Api.memberView(a1).then().statusCode(404);
    }

    @Test
    void shouldServeCreatedMemberWhenItsAbsenceWasCached() {
        String name = Unique.name("later");
        Api.memberView(name).then().statusCode(404);
        assertTrue(Api.memberView(name).header("Cache-Status").contains("hit"));
        Api.create(name, teamA).then().statusCode(201);
        Api.memberView(name).then().statusCode(200);
    }
}
