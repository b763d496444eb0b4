package dev.roster.membership.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every member route of the contract, and every error status it lists, against the real servers. */
@QuarkusTest
class MemberResourceTest {

    @Test
    void shouldCreateAndReadMemberWhenNameIsFree() {
        String name = Unique.name("ann");
        Map<String, Object> body = Api.member(name, "ALPHA");
        body.put("email", "ann@example.com");
        body.put("role", "lead");
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/members")
                .then()
                .statusCode(201)
                .header("Location", containsString("/members/" + name))
                .header("ETag", startsWith("\""))
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("joinedAt", notNullValue());
        Api.memberView(name)
                .then()
                .statusCode(200)
                .header("ETag", notNullValue())
                .header("Cache-Status", notNullValue())
                .body("email", equalTo("ann@example.com"))
                .body("role", equalTo("lead"));
    }

    @Test
    void shouldAnswer409WhenNameExists() {
        String name = Unique.name("dup");
        Api.create(name, "A").then().statusCode(201);
        Api.create(name, "B")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("title", notNullValue())
                .body("instance", equalTo("/members"));
        Api.memberView(name).then().body("team", equalTo("A"));
    }

    @Test
    void shouldAnswer404WithCacheStatusWhenMemberAbsent() {
        Api.memberView(Unique.name("ghost"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("Cache-Status", notNullValue());
    }

    @Test
    void shouldReplaceFieldsAndBumpVersionWhenPut() {
        String name = Unique.name("put");
        Map<String, Object> body = Api.member(name, "A");
        body.put("email", "x@example.com");
        given().contentType(ContentType.JSON).body(body).post("/members").then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("team", "B", "role", "dev"))
                .put("/members/" + name)
                .then()
                .statusCode(200)
                .body("team", equalTo("B"))
                .body("role", equalTo("dev"))
                .body("email", nullValue())
                .body("version", equalTo(2));
    }

    @Test
    void shouldKeepVersionWhenPutChangesNothing() {
        String name = Unique.name("same");
        Api.create(name, "A").then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", "A"))
                .put("/members/" + name)
                .then()
                .statusCode(200)
                .body("version", equalTo(1));
    }

    @Test
    void shouldAnswer400WhenPutNameDiffersFromPath() {
        String name = Unique.name("rename");
        Api.create(name, "A").then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "other", "team", "A"))
                .put("/members/" + name)
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("name"));
    }

    @Test
    void shouldAnswer404WhenPutOrDeleteAbsent() {
        String name = Unique.name("none");
        given().contentType(ContentType.JSON)
                .body(Map.of("team", "A"))
                .put("/members/" + name)
                .then()
                .statusCode(404);
        given().delete("/members/" + name).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldHonourIfMatchWhenPutAndDelete() {
        String name = Unique.name("cas");
        String etag = Api.create(name, "A").then().statusCode(201).extract().header("ETag");
        given().contentType(ContentType.JSON)
                .header("If-Match", "\"stale\"")
                .body(Map.of("team", "B"))
                .put("/members/" + name)
                .then()
                .statusCode(412)
                .contentType("application/problem+json");
        String newTag = given().contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(Map.of("team", "B"))
                .put("/members/" + name)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        given().header("If-Match", etag).delete("/members/" + name).then().statusCode(412);
        given().header("If-Match", newTag).delete("/members/" + name).then().statusCode(204);
    }

    @Test
    void shouldMatchAnyExistingMemberWhenIfMatchIsStar() {
        String name = Unique.name("star");
        Api.create(name, "A").then().statusCode(201);
        given().header("If-Match", "*").delete("/members/" + name).then().statusCode(204);
        given().header("If-Match", "*").delete("/members/" + name).then().statusCode(404);
    }

    @Test
    void shouldAnswer304WhenIfNoneMatchIsCurrent() {
        String name = Unique.name("etag");
        Api.create(name, "A").then().statusCode(201);
        String etag = Api.memberView(name).then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", etag)
                .get("/members/" + name)
                .then()
                .statusCode(304)
                .header("Cache-Status", notNullValue())
                .body(equalTo(""));
    }

    @Test
    void shouldChangeEtagWhenMemberIsDeletedAndRecreated() {
        String name = Unique.name("again");
        Map<String, Object> first = Api.member(name, "A");
        first.put("role", "one");
        given().contentType(ContentType.JSON)
                .body(first)
                .post("/members")
                .then()
                .statusCode(201);
        String before = Api.memberView(name).header("ETag");
        given().delete("/members/" + name).then().statusCode(204);
        Map<String, Object> second = Api.member(name, "A");
        second.put("role", "two");
        given().contentType(ContentType.JSON)
                .body(second)
                .post("/members")
                .then()
                .statusCode(201);
        String after = Api.memberView(name).then().statusCode(200).extract().header("ETag");
        assertNotEquals(before, after);
    }

    @Test
    void shouldAnswer400WithViolationsWhenRulesBroken() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "", "team", "T", "email", "not-an-email"))
                .post("/members")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("name"))
                .body("violations.field", hasItem("email"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "a\u0007b", "team", "T"))
                .post("/members")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("name"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "..", "team", "T"))
                .post("/members")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "x".repeat(101), "team", "T"))
                .post("/members")
                .then()
                .statusCode(400);
    }

    @Test
    void shouldCountCodePointsWhenCheckingLength() {
        String name = "\uD83D\uDE00".repeat(100);
        Api.create(name, "emoji").then().statusCode(201).body("name", equalTo(name));
        Api.memberView(name).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void shouldAnswer400WhenJsonIsMalformedOrHasUnknownOrReadOnlyFields() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"team\":")
                .post("/members")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations", nullValue());
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"team\":\"T\",\"colour\":\"red\"}")
                .post("/members")
                .then()
                .statusCode(400)
                .body("detail", containsString("colour"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"team\":\"T\",\"version\":7}")
                .post("/members")
                .then()
                .statusCode(400)
                .body("detail", containsString("read-only"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":5,\"team\":\"T\"}")
                .post("/members")
                .then()
                .statusCode(400)
                .body("detail", not(containsString("java")));
    }

    @Test
    void shouldStoreOperatorLookingValuesLiterallyWhenGivenAsStrings() {
        String name = "{\"$ne\":null}" + Unique.name("");
        Api.create(name, "$where").then().statusCode(201);
        Api.memberView(name).then().statusCode(200).body("team", equalTo("$where"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":{\"$ne\":null},\"team\":\"T\"}")
                .post("/members")
                .then()
                .statusCode(400);
    }

    @Test
    void shouldRoundTripAwkwardNamesWhenUsedAsPathSegments() throws Exception {
        for (String name : new String[] {
            "a/b " + Unique.name(""), "*" + Unique.name(""), "a:b" + Unique.name(""), "é ü ß " + Unique.name("")
        }) {
            String location = Api.create(name, "odd:team/*")
                    .then()
                    .statusCode(201)
                    .extract()
                    .header("Location");
            HttpResponse<String> viaLocation = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, viaLocation.statusCode(), location);
            assertTrue(viaLocation.body().contains(name.substring(name.length() - 8)), viaLocation.body());
            Api.memberView(name).then().statusCode(200).body("name", equalTo(name));
        }
    }

    @Test
    void shouldReachTheMemberByFollowingLocationWhenTheNameHasReservedCharacters() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String awkward : new String[] {
            "x;colon", "50%", "%41", "a b", "a+b", "é ü ß", "日本", "a?b#c", "a/b", "a=b,c&d;e=f", "[x]", "emoji😀"
        }) {
            String name = awkward + " " + Unique.name("");
            String location =
                    Api.create(name, "T").then().statusCode(201).extract().header("Location");
            String segment = location.substring(location.lastIndexOf("/members/") + "/members/".length());
            assertTrue(segment.matches("[A-Za-z0-9\\-._~!$&'()*,=:@%]+"), location);
            assertTrue(!segment.contains(";") && !segment.contains("+"), location);
            HttpResponse<String> followed = client.send(
                    HttpRequest.newBuilder(URI.create(location)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, followed.statusCode(), name + " -> " + location);
            assertEquals(
                    name,
                    io.restassured.path.json.JsonPath.from(followed.body()).getString("name"),
                    location);
        }
    }

    @Test
    void shouldAnswer415WhenContentTypeIsWrong() {
        given().contentType(ContentType.TEXT)
                .body("name=x")
                .post("/members")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void shouldAnswer413WhenBodyIsTooLarge() {
        String huge = "{\"name\":\"x\",\"team\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON)
                .body(huge)
                .post("/members")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
    }
}
