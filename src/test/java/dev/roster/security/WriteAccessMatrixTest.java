package dev.roster.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.RouteCatalog;
import dev.roster.support.Unique;
import dev.roster.support.WriterSecurity;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every write route and every cache admin route, with the prod rules: no token and a forged token are 401, a
 * valid token without group roster-writer is 403 (both problem+json, no class names), and a refused request
 * changes nothing; a writer token gets through. The routes are discovered (OpenAPI for the resources, the
 * routers for Vert.x routes), so a route added without a row here fails {@link #shouldCoverEveryWriteAndAdminRoute}.
 */
@QuarkusTest
@TestProfile(WriterSecurity.class)
class WriteAccessMatrixTest {

    private static final Set<String> WRITE_METHODS = Set.of("post", "put", "patch", "delete");

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    RouteCatalog catalog;

    /** A member in its own team, its listing cached: what every request below would change. */
    private record Fixture(String member, String team, String newcomer) {

        static Fixture create() {
            String team = Unique.name("matrix-team");
            Fixture fixture = new Fixture(Unique.name("matrix-member"), team, Unique.name("matrix-new"));
            withToken(WriterSecurity.token("roster-writer"))
                    .contentType(ContentType.JSON)
                    .body(Api.member(fixture.member, team))
                    .post("/members")
                    .then()
                    .statusCode(201);
            Api.listing(team).then().statusCode(200);
            assertTrue(Api.cacheStatus(Api.listing(team)).contains("hit"), "the fixture's listing is cached");
            return fixture;
        }
    }

    /** One request per protected route with what a writer would expect, in an order a writer can run them. */
    private Map<String, Route> routes(Fixture f) {
        String listingPath = "/teams/" + f.team + "/members";
        String admin = management + "roster/cache/";
        Map<String, Route> routes = new LinkedHashMap<>();
        routes.put(
                "GET /q/roster/cache/explain",
                new Route(200, s -> s.queryParam("path", listingPath).get(admin + "explain")));
        routes.put(
                "POST /q/roster/cache/evict",
                new Route(200, s -> s.queryParam("path", listingPath).post(admin + "evict")));
        routes.put(
                "POST /q/roster/cache/evict-tag",
                new Route(
                        200,
                        s -> s.queryParam("kind", "team")
                                .queryParam("value", f.team)
                                .post(admin + "evict-tag")));
        routes.put(
                "POST /members",
                new Route(
                        201,
                        s -> s.contentType(ContentType.JSON)
                                .body(Api.member(f.newcomer, f.team))
                                .post("/members")));
        routes.put(
                "PUT /members/{name}",
                new Route(
                        200,
                        s -> s.contentType(ContentType.JSON)
                                .body(Map.of("team", f.team, "role", "changed"))
                                .put("/members/" + Api.segment(f.member))));
        routes.put(
                "POST /members/bulk",
                new Route(
                        200,
                        s -> s.contentType("application/x-ndjson")
                                .body(("{\"name\":\"" + f.newcomer + "-bulk\",\"team\":\"" + f.team + "\"}\n"
                                                + "{\"name\":\"" + f.member + "\",\"team\":\"elsewhere\"}\n")
                                        .getBytes(StandardCharsets.UTF_8))
                                .post("/members/bulk")));
        routes.put("DELETE /members/{name}", new Route(204, s -> s.delete("/members/" + Api.segment(f.member))));
        routes.put("DELETE /teams/{team}", new Route(200, s -> s.delete("/teams/" + Api.segment(f.team))));
        return routes;
    }

    /** A request against one route, and the status a writer gets. */
    private record Route(int writerStatus, Function<RequestSpecification, Response> send) {}

    @Test
    void shouldCoverEveryWriteAndAdminRoute() {
        Set<String> found = new TreeSet<>(catalog.vertxWrites());
        found.addAll(catalog.adminRoutes());
        Map<String, Map<String, Object>> paths = given().get(management + "openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .path("paths");
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(WRITE_METHODS::contains)
                .forEach(method -> found.add(method.toUpperCase() + " " + path)));
        assertEquals(new TreeSet<>(routes(new Fixture("m", "t", "n")).keySet()), found);
    }

    @Test
    void shouldAnswer401AndChangeNothingWhenNoTokenIsSent() {
        Fixture f = Fixture.create();
        routes(f).forEach((route, r) -> assertProblem(route, r.send().apply(given().urlEncodingEnabled(false)), 401));
        assertUnchanged(f);
    }

    @Test
    void shouldAnswer401AndChangeNothingWhenTheTokenIsForged() {
        Fixture f = Fixture.create();
        String forged = WriterSecurity.token("roster-writer").replaceFirst("\\.[^.]+$", ".c2lnbmF0dXJl");
        routes(f).forEach((route, r) -> assertProblem(route, r.send().apply(withToken(forged)), 401));
        assertUnchanged(f);
    }

    @Test
    void shouldAnswer403AndChangeNothingWhenTheTokenLacksTheWriterGroup() {
        Fixture f = Fixture.create();
        String reader = WriterSecurity.token("reader");
        routes(f).forEach((route, r) -> assertProblem(route, r.send().apply(withToken(reader)), 403));
        assertUnchanged(f);
    }

    @Test
    void shouldLetAWriterThroughEveryRoute() {
        Fixture f = Fixture.create();
        String writer = WriterSecurity.token("roster-writer");
        routes(f).forEach((route, r) -> {
            Response response = r.send().apply(withToken(writer));
            assertEquals(r.writerStatus(), response.statusCode(), route + ": " + response.asString());
        });
        Api.memberView(f.member).then().statusCode(404);
        Api.listing(f.team).then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void shouldRefuseWritesToRoutesThatDoNotExistYet() {
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/not-a-route")
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .body("{}")
                .patch("/members/x")
                .then()
                .statusCode(401);
        withToken(WriterSecurity.token("reader")).delete("/not-a-route").then().statusCode(403);
        withToken(WriterSecurity.token("roster-writer"))
                .post("/not-a-route")
                .then()
                .statusCode(oneOf(404, 405));
        given().get(management + "roster/not-a-route").then().statusCode(401);
    }

    @Test
    void shouldKeepReadsAndHealthOpen() {
        Fixture f = Fixture.create();
        Api.memberView(f.member).then().statusCode(200);
        given().get("/teams").then().statusCode(200);
        given().get(management + "health/ready").then().statusCode(200);
        given().get(management + "metrics").then().statusCode(200);
    }

    private static RequestSpecification withToken(String token) {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token);
    }

    private static void assertProblem(String route, Response response, int status) {
        assertEquals(status, response.statusCode(), route + ": " + response.asString());
        response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body(not(containsString("Exception")))
                .body(not(containsString("io.quarkus")))
                .body(not(containsString("dev.roster")));
    }

    private static void assertUnchanged(Fixture f) {
        Api.memberView(f.member)
                .then()
                .statusCode(200)
                .body("team", equalTo(f.team))
                .body("version", equalTo(1))
                .body("role", org.hamcrest.Matchers.nullValue());
        Api.memberView(f.newcomer).then().statusCode(404);
        Api.memberView(f.newcomer + "-bulk").then().statusCode(404);
        Response listing = Api.listing(f.team);
        listing.then().statusCode(200).body("count", equalTo(1));
        assertTrue(Api.cacheStatus(listing).contains("hit"), "the listing was neither evicted nor its tag bumped");
    }
}
