package dev.roster.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the routes answer is what the OpenAPI documents served on the management interface say (the API's, and the
 * management interface's own): real answers are validated against the document's schema for their path, method,
 * status and media type. That a generator reads the API document as meant is GeneratedClientIT's part.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final String MEMBER = "/members/{name}";
    private static final String MEMBERS = "/members";
    private static final String LISTING = "/teams/{team}/members";
    private static final String TEAMS = "/teams";
    private static final String BULK = "/members/bulk";

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private ServedDocument document;
    private ServedDocument managementDocument;

    @BeforeEach
    void fetchDocuments() {
        document = fetch("openapi");
        managementDocument = fetch("openapi-management-interface");
    }

    private ServedDocument fetch(String path) {
        return new ServedDocument(given().get(management + path + "?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
    }

    @Test
    void shouldNameEveryOperationAndServeEachDocumentForItsOwnPort() {
        assertEquals(
                Set.of(
                        "listTeams",
                        "getTeamMembers",
                        "getMember",
                        "createMember",
                        "replaceMember",
                        "deleteMember",
                        "importMembers",
                        "deleteTeam"),
                operationIds(document, path -> assertFalse(path.startsWith("/q/"), path + " is a management route")));
        assertEquals(
                Set.of(
                        "explainCacheEntry",
                        "evictCacheEntry",
                        "evictCacheTag",
                        "getLiveness",
                        "getReadiness",
                        "getStartup",
                        "getHealth",
                        "getMetrics"),
                operationIds(
                        managementDocument,
                        path -> assertTrue(path.startsWith("/q/"), path + " is not a management route")));
        assertEquals("8080", serverPort(document));
        assertEquals("9000", serverPort(managementDocument));
    }

    @Test
    void shouldAcceptAReplacementWithoutNameAsDocumented() {
        String name = Unique.name("oa-put");
        Api.create(name, Unique.name("oa-team")).then().statusCode(201);
        Map<String, Object> replacement = Map.of("team", Unique.name("oa-other"), "role", "lead");
        JsonNode body = ServedDocument.parse(given().contentType(ContentType.JSON)
                .body(replacement)
                .put("/members/" + Api.segment(name))
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals("lead", body.path("role").asText());
        var put = document.requestSchema(MEMBER, "put", "application/json");
        assertTrue(put.validate(ServedDocument.parse("{\"team\":\"A\"}")).isEmpty(), "PUT may leave name out");
        assertFalse(put.validate(ServedDocument.parse("{\"name\":\"a\"}")).isEmpty(), "PUT needs team");
        var post = document.requestSchema(MEMBERS, "post", "application/json");
        assertFalse(post.validate(ServedDocument.parse("{\"team\":\"A\"}")).isEmpty(), "POST needs name");
    }

    @Test
    void shouldDescribeBulkSchemasSecurityAndTypedLimit() {
        JsonNode bulk = document.operation(BULK, "post");
        assertFalse(bulk.path("requestBody")
                .path("content")
                .path("application/x-ndjson")
                .isMissingNode());
        for (int status : new int[] {401, 403, 413, 415}) {
            assertFalse(document.response(BULK, "post", status)
                    .path("content")
                    .path("application/problem+json")
                    .isMissingNode());
        }
        JsonNode schemas = document.root.path("components").path("schemas");
        assertTrue(schemas.has("Member"), "Member schema");
        assertTrue(schemas.path("Problem").path("properties").has("violations"), "Problem schema with violations");
        List<String> bearers = new ArrayList<>();
        document.root.path("components").path("securitySchemes").properties().forEach(scheme -> {
            if ("http".equals(scheme.getValue().path("type").asText())
                    && "bearer"
                            .equalsIgnoreCase(scheme.getValue().path("scheme").asText())) {
                bearers.add(scheme.getKey());
            }
        });
        assertEquals(1, bearers.size(), "one bearer scheme");
        JsonNode limit = limitParameter().path("schema");
        assertEquals("integer", limit.path("type").asText(), "limit is an integer: " + limit);
        assertEquals(1, limit.path("minimum").asInt());
        assertEquals(1000, limit.path("maximum").asInt());
        assertEveryWriteNeeds(document, bearers.get(0), 5, "POST and bulk POST, PUT, DELETE member, DELETE team");
        assertEveryWriteNeeds(managementDocument, bearers.get(0), 2, "the two cache evictions");
        assertEverySuccessHasSchema(document);
        assertEverySuccessHasSchema(managementDocument);
    }

    @Test
    void shouldAnswerMemberRoutesAsDocumented() {
        String team = Unique.name("oa-team");
        String name = Unique.name("oa-ada");
        Map<String, Object> input = Api.member(name, team);
        input.put("email", "ada@example.org");
        input.put("role", "lead");
        Response created = given().contentType(ContentType.JSON).body(input).post(MEMBERS);
        assertEquals(201, created.statusCode());
        document.assertDocuments(MEMBERS, "post", created);

        Response found = Api.memberView(name);
        assertEquals(200, found.statusCode());
        assertEquals(
                name,
                document.assertDocuments(MEMBER, "get", found).path("name").asText());

        Response missing = Api.memberView(Unique.name("oa-nobody"));
        assertEquals(404, missing.statusCode());
        document.assertDocuments(MEMBER, "get", missing);
    }

    @Test
    void shouldDocumentViolationsOfAnInvalidCreate() {
        Response invalid =
                given().contentType(ContentType.JSON).body(Map.of("name", "")).post(MEMBERS);
        assertEquals(400, invalid.statusCode());
        JsonNode problem = document.assertDocuments(MEMBERS, "post", invalid);
        assertFalse(problem.path("violations").isEmpty(), "violations listed: " + problem);
    }

    @Test
    void shouldAnswerListingsPagesAndTeamsAsDocumented() {
        String team = Unique.name("oa-list");
        for (String member : List.of("a", "b", "c")) {
            Api.create(team + "-" + member, team).then().statusCode(201);
        }
        Response listing = Api.listing(team);
        assertEquals(200, listing.statusCode());
        assertEquals(
                3,
                document.assertDocuments(LISTING, "get", listing)
                        .path("members")
                        .size());

        Response page = given().urlEncodingEnabled(false).get("/teams/" + Api.segment(team) + "/members?limit=2");
        assertEquals(200, page.statusCode());
        assertEquals(
                team + "-b",
                document.assertDocuments(LISTING, "get", page).path("next").asText());

        Response teams = given().get(TEAMS);
        assertEquals(200, teams.statusCode());
        document.assertDocuments(TEAMS, "get", teams);
    }

    @Test
    void shouldAnswerTheManagementRoutesAsDocumented() {
        String team = Unique.name("oa-admin");
        Api.create(team + "-a", team).then().statusCode(201);
        Api.listing(team).then().statusCode(200);
        String path = "/teams/" + Api.segment(team) + "/members";
        String admin = management + "roster/cache/";

        Response explain = given().queryParam("path", path).get(admin + "explain");
        assertEquals(200, explain.statusCode());
        managementDocument.assertDocuments("/q/roster/cache/explain", "get", explain);
        Response evict = given().queryParam("path", path).post(admin + "evict");
        assertEquals(200, evict.statusCode());
        assertTrue(managementDocument
                .assertDocuments("/q/roster/cache/evict", "post", evict)
                .path("evicted")
                .asBoolean());
        Response bump =
                given().queryParam("kind", "team").queryParam("value", team).post(admin + "evict-tag");
        assertEquals(200, bump.statusCode());
        managementDocument.assertDocuments("/q/roster/cache/evict-tag", "post", bump);
        Response unknown = given().queryParam("path", "/nowhere").get(admin + "explain");
        assertEquals(400, unknown.statusCode());
        managementDocument.assertDocuments("/q/roster/cache/explain", "get", unknown);

        Response ready = given().get(management + "health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals(
                "UP",
                managementDocument
                        .assertDocuments("/q/health/ready", "get", ready)
                        .path("status")
                        .asText());
        Response live = given().get(management + "health/live");
        managementDocument.assertDocuments("/q/health/live", "get", live);
    }

    @Test
    void shouldAnswerBulkAsDocumented() {
        String team = Unique.name("oa-bulk");
        String lines = "{\"name\":\"" + team + "-1\",\"team\":\"" + team + "\"}\n" + "{\"name\":\"\"}\n";
        Response report = given().contentType("application/x-ndjson")
                .body(lines.getBytes(StandardCharsets.UTF_8))
                .post(BULK);
        assertEquals(200, report.statusCode());
        JsonNode body = document.assertDocuments(BULK, "post", report);
        assertEquals(1, body.path("failed").asInt());
    }

    @Test
    void shouldRejectWhatTheSchemasDoNotDescribe() {
        // Guards the check itself: were the schemas empty or unreachable, every answer would pass.
        var member = document.schema(MEMBER, "get", 200, "application/json");
        assertFalse(member.validate(ServedDocument.parse("{}")).isEmpty(), "Member requires fields");
        assertFalse(
                member.validate(ServedDocument.parse(
                                "{\"name\":\"a\",\"team\":\"b\",\"joinedAt\":\"2026-01-01T00:00:00Z\",\"version\":1,"
                                        + "\"extra\":true}"))
                        .isEmpty(),
                "Member admits no other fields");
        var problem = document.schema(MEMBERS, "post", 400, "application/problem+json");
        assertFalse(
                problem.validate(ServedDocument.parse("{\"title\":\"x\",\"status\":400}"))
                        .isEmpty(),
                "Problem requires type");
    }

    private JsonNode limitParameter() {
        for (JsonNode parameter : document.operation(LISTING, "get").path("parameters")) {
            JsonNode resolved = document.resolve(parameter);
            if ("limit".equals(resolved.path("name").asText())) {
                return resolved;
            }
        }
        throw new AssertionError("no limit parameter on GET " + LISTING);
    }

    /** The operationIds of a document, each path checked first; every operation must have one. */
    private static Set<String> operationIds(ServedDocument served, Consumer<String> checkPath) {
        Set<String> ids = new TreeSet<>();
        for (var path : served.root.path("paths").properties()) {
            checkPath.accept(path.getKey());
            assertTrue(path.getValue().path("servers").isMissingNode(), path.getKey() + " overrides the server");
            for (var op : path.getValue().properties()) {
                String id = op.getValue().path("operationId").asText();
                assertFalse(id.isEmpty(), op.getKey() + " " + path.getKey() + " has no operationId");
                assertTrue(ids.add(id), "operationId " + id + " twice");
                assertTrue(op.getValue().path("servers").isMissingNode(), id + " overrides the server");
            }
        }
        return ids;
    }

    /** The default port of the document's one server, where a generated client sends its requests. */
    private static String serverPort(ServedDocument served) {
        JsonNode servers = served.root.path("servers");
        assertEquals(1, servers.size(), "one server: " + servers);
        return servers.path(0).path("variables").path("port").path("default").asText();
    }

    private static void assertEveryWriteNeeds(ServedDocument served, String scheme, int expected, String which) {
        int writes = 0;
        for (var path : served.root.path("paths").properties()) {
            for (String method : List.of("post", "put", "patch", "delete")) {
                JsonNode op = path.getValue().path(method);
                if (op.isMissingNode()) {
                    continue;
                }
                writes++;
                boolean required = false;
                for (JsonNode requirement : op.path("security")) {
                    required |= requirement.has(scheme);
                }
                assertTrue(required, method + " " + path.getKey() + " must require " + scheme);
            }
        }
        assertEquals(expected, writes, which);
    }

    private static void assertEverySuccessHasSchema(ServedDocument served) {
        for (var path : served.root.path("paths").properties()) {
            for (var op : path.getValue().properties()) {
                JsonNode ok = op.getValue().path("responses").path("200");
                if (ok.isMissingNode()) {
                    continue;
                }
                JsonNode content = served.resolve(ok).path("content");
                assertFalse(content.isEmpty(), op.getKey() + " " + path.getKey() + " 200 has no content");
                content.properties()
                        .forEach(media -> assertFalse(
                                media.getValue().path("schema").isMissingNode(),
                                op.getKey() + " " + path.getKey() + " 200 " + media.getKey() + " has no schema"));
            }
        }
    }
}
