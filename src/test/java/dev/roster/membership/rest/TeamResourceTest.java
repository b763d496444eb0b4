package dev.roster.membership.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Team routes: listing, pages, the list of teams, bulk import and team delete. */
@QuarkusTest
class TeamResourceTest {

    static String bulk(String ndjson) {
        return given().contentType("application/x-ndjson")
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/members/bulk")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    static void fill(String team, int size) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < size; i++) {
            lines.append("{\"name\":\"")
                    .append(team)
                    .append("-m")
                    .append(String.format("%05d", i))
                    .append("\",\"team\":\"")
                    .append(team)
                    .append("\"}\n");
        }
        bulk(lines.toString());
    }

    @Test
    void shouldListTeamInBinaryNameOrderWhenTeamExists() {
        String team = Unique.name("order");
        for (String n : new String[] {"b", "a", "Z", "é"}) {
            Api.create(team + "/" + n, team).then().statusCode(201);
        }
        Api.listing(team)
                .then()
                .statusCode(200)
                .header("ETag", notNullValue())
                .body("team", equalTo(team))
                .body("count", equalTo(4))
                .body("members.name", contains(team + "/Z", team + "/a", team + "/b", team + "/é"))
                .body("next", nullValue());
    }

    @Test
    void shouldAnswerEmptyListingWhenTeamIsUnknown() {
        String team = Unique.name("nobody");
        Api.listing(team).then().statusCode(200).body("count", equalTo(0)).body("members", hasSize(0));
    }

    @Test
    void shouldTreatTeamsCaseSensitivelyWhenListing() {
        String team = Unique.name("case");
        Api.create(Unique.name("u"), team.toUpperCase()).then().statusCode(201);
        Api.listing(team).then().body("count", equalTo(0));
        Api.listing(team.toUpperCase()).then().body("count", equalTo(1));
    }

    @Test
    void shouldPageWithNextUntilTheLastPage() {
        String team = Unique.name("pages");
        fill(team, 7);
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 3);
            if (after != null) {
                request = request.queryParam("after", after);
            }
            Response page = request.get("/teams/" + team + "/members")
                    .then()
                    .statusCode(200)
                    .extract()
                    .response();
            assertEquals(7, (int) page.path("count"));
            seen.addAll(page.path("members.name"));
            after = page.path("next");
            pages++;
        } while (after != null);
        assertEquals(3, pages);
        assertEquals(7, seen.size());
        assertEquals(team + "-m00006", seen.get(6));
    }

    @Test
    void shouldReturnRestOfTeamWhenAfterWithoutLimit() {
        String team = Unique.name("rest");
        fill(team, 5);
        given().queryParam("after", team + "-m00002")
                .get("/teams/" + team + "/members")
                .then()
                .statusCode(200)
                .body("count", equalTo(5))
                .body("members.name", contains(team + "-m00003", team + "-m00004"))
                .body("next", nullValue());
    }

    @Test
    void shouldAnswer400WhenLimitOutOfRange() {
        for (String limit : new String[] {"0", "1001", "-1", "ten"}) {
            given().queryParam("limit", limit)
                    .get("/teams/A/members")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations.field", hasItem("limit"));
        }
    }

    @Test
    void shouldSendASmallListingWithContentLengthOnMissAndHit() {
        String team = Unique.name("small");
        fill(team, 30);
        for (String expected : new String[] {"fwd=miss", "hit"}) {
            Response r = Api.listing(team).then().statusCode(200).extract().response();
            assertTrue(r.header("Cache-Status").contains(expected), r.header("Cache-Status"));
            assertEquals(30, r.jsonPath().getList("members").size());
            assertEquals(Integer.toString(r.asByteArray().length), r.header("Content-Length"));
            assertEquals(null, r.header("Transfer-Encoding"));
        }
    }

    @Test
    void shouldStreamLargeTeamInChunksWhenAboveWholeLimit() {
        String team = Unique.name("large");
        fill(team, 12_000);
        Response first = Api.listing(team).then().statusCode(200).extract().response();
        assertEquals(12_000, first.jsonPath().getList("members").size());
        assertEquals("chunked", first.header("Transfer-Encoding"));
        Response second = Api.listing(team).then().statusCode(200).extract().response();
        assertTrue(second.header("Cache-Status").contains("hit"), second.header("Cache-Status"));
        assertEquals(first.asString(), second.asString());
        // RestAssured accepts gzip: the miss was sent identity, the hit is sent as stored, compressed.
        assertEquals("gzip", second.header("Content-Encoding"));
        String identityTag = first.header("ETag");
        assertEquals(identityTag.substring(0, identityTag.length() - 1) + "-gzip\"", second.header("ETag"));
        given().header("If-None-Match", second.header("ETag"))
                .get("/teams/" + team + "/members")
                .then()
                .statusCode(304);
    }

    @Test
    void shouldListEveryTeamWithItsSizeWhenTeamsRequested() {
        String team = Unique.name("sized");
        fill(team, 3);
        given().get("/teams")
                .then()
                .statusCode(200)
                .body("teams.find { it.team == '" + team + "' }.count", equalTo(3))
                .body("count", notNullValue());
    }

    @Test
    void shouldReportBadLinesAndApplyTheOthersWhenBulk() {
        String team = Unique.name("bulk");
        String a = team + "-a";
        String body = "{\"name\":\"" + a + "\",\"team\":\"" + team + "\"}\n"
                + "\n"
                + "not json\n"
                + "{\"name\":\"" + a + "\",\"team\":\"" + team + "\",\"role\":\"last\"}\n"
                + "{\"name\":\"" + team + "-b\"}\n"
                + "{\"name\":\"" + team + "-c\",\"team\":\"" + team + "\",\"version\":1}\n"
                + "{\"name\":\"" + team + "-d\",\"team\":\"" + team + "\"}";
        String report = bulk(body);
        assertTrue(report.contains("\"inserted\":2"), report);
        assertTrue(report.contains("\"failed\":3"), report);
        assertTrue(report.contains("\"line\":3"), report);
        assertTrue(report.contains("\"line\":5"), report);
        assertTrue(report.contains("\"line\":6"), report);
        Api.memberView(a).then().body("role", equalTo("last"));
        Api.listing(team).then().body("count", equalTo(2));
    }

    @Test
    void shouldCountExistingNamesAsUpdatedAndKeepJoinedAtWhenBulk() {
        String team = Unique.name("upd");
        String name = team + "-x";
        String joined = Api.create(name, team).then().statusCode(201).extract().path("joinedAt");
        String report = bulk("{\"name\":\"" + name + "\",\"team\":\"other-" + team + "\"}\n");
        assertTrue(report.contains("\"updated\":1"), report);
        Api.memberView(name).then().body("joinedAt", equalTo(joined)).body("team", equalTo("other-" + team));
        Api.listing(team).then().body("count", equalTo(0));
    }

    @Test
    void shouldAnswer415WhenBulkIsNotNdjson() {
        given().contentType("application/json")
                .body("{}")
                .post("/members/bulk")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void shouldDeleteEveryMemberWhenTeamDeleted() {
        String team = Unique.name("gone");
        fill(team, 5);
        Api.memberView(team + "-m00001").then().statusCode(200);
        given().delete("/teams/" + team).then().statusCode(200).body("deleted", equalTo(5));
        Api.listing(team).then().body("count", equalTo(0));
        Api.memberView(team + "-m00001").then().statusCode(404);
        given().delete("/teams/" + team).then().statusCode(200).body("deleted", equalTo(0));
    }

    @Test
    void shouldMatchOperatorLookingTeamLiterallyWhenListing() {
        String team = "{\"$ne\":null}-" + Unique.name("op");
        Api.create(Unique.name("op"), team).then().statusCode(201);
        Api.listing(team).then().body("count", equalTo(1));
        Api.listing("*").then().body("members.team", org.hamcrest.Matchers.not(hasItem(team)));
        given().get("/teams").then().body(containsString("count"));
    }

    @Test
    void shouldAnswerProblemJsonWhenRouteUnknown() {
        given().get("/nowhere").then().statusCode(404).contentType("application/problem+json");
    }
}
