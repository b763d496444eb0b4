package dev.roster.cache;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's management endpoints: explain a request path, evict its entry, bump a tag. */
@QuarkusTest
class CacheAdminTest {

    @TestHTTPResource(value = "/roster/cache", management = true)
    URL admin;

    @Test
    void shouldExplainTheEntryOfARequestPath() {
        String team = Unique.name("explain");
        Api.create(team + "-1", team).then().statusCode(201);
        Api.listing(team).then().statusCode(200);
        given().queryParam("path", "/teams/" + team + "/members")
                .get(admin + "/explain")
                .then()
                .statusCode(200)
                .body("cache", equalTo("team-listing"))
                .body("keyHash", notNullValue())
                .body("tags.tag", hasItem("team:" + team))
                .body("entry.valid", equalTo(true))
                .body("entry.fresh", equalTo(true))
                .body("entry.chunks", equalTo(0));
    }

    @Test
    void shouldMissAfterEvictingTheEntryOrBumpingTheTag() {
        String team = Unique.name("evict");
        Api.create(team + "-1", team).then().statusCode(201);
        Api.listing(team).then().statusCode(200);
        assertTrue(Api.listing(team).header("Cache-Status").contains("hit"));
        given().queryParam("path", "/teams/" + team + "/members")
                .post(admin + "/evict")
                .then()
                .statusCode(200)
                .body("evicted", equalTo(true));
        assertTrue(Api.listing(team).header("Cache-Status").contains("fwd=miss"));
        assertTrue(Api.listing(team).header("Cache-Status").contains("hit"));
        given().queryParam("kind", "team")
                .queryParam("value", team)
                .post(admin + "/evict-tag")
                .then()
                .statusCode(200);
        assertTrue(Api.listing(team).header("Cache-Status").contains("fwd=miss"));
    }

    @Test
    void shouldAnswer400WhenPathIsNotAnApiPath() {
        given().queryParam("path", "/nope").get(admin + "/explain").then().statusCode(400);
        given().queryParam("path", "/teams/A/members?limit=abc")
                .get(admin + "/explain")
                .then()
                .statusCode(400);
        given().urlEncodingEnabled(false)
                .get(admin + "/explain?path=/members/a%25zz")
                .then()
                .statusCode(400);
    }

    @Test
    void shouldAnswer400ForATagNoWriteBumps() {
        for (String query : List.of("kind=bogus&value=x", "kind=team", "kind=member&value=", "kind=teams&value=x")) {
            given().urlEncodingEnabled(false)
                    .post(admin + "/evict-tag?" + query)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().queryParam("kind", "teams").post(admin + "/evict-tag").then().statusCode(200);
    }
}
