package dev.roster.openapi;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.client.ApiClient;
import dev.roster.client.ApiException;
import dev.roster.client.ApiResponse;
import dev.roster.client.api.MembersApi;
import dev.roster.client.api.TeamsApi;
import dev.roster.client.model.BulkReport;
import dev.roster.client.model.Member;
import dev.roster.client.model.MemberInput;
import dev.roster.client.model.MemberReplacement;
import dev.roster.client.model.Problem;
import dev.roster.client.model.TeamListing;
import dev.roster.client.model.TeamSize;
import dev.roster.support.Unique;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every API route through the Java client that the build generates from the API document (pom.xml: generated
 * from target/openapi/openapi.json after {@code package}, compiled with this test), against the packaged app. A
 * document that a generator reads otherwise than meant (a renamed or missing operationId, a type or status the app
 * does not send, a route on another server) breaks the compile or these calls. The bulk route's NDJSON body is a
 * string to the generator, sent as is.
 */
@QuarkusIntegrationTest
class GeneratedClientIT {

    private static final Path STORED = Path.of("target", "openapi");
    /** Where the IT launcher writes the packaged app's output. */
    private static final Path APP_LOG = Path.of("target", "quarkus.log");
    /**
     * The management port is random in tests, and a {@code @QuarkusIntegrationTest} learns only the API's port (from
     * the start-up line, as this reads the management interface's).
     */
    private static final Pattern MANAGEMENT =
            Pattern.compile("Management interface listening on https?://[^:/]+:(\\d+)");

    @TestHTTPResource("/")
    URL api;

    private ApiClient client;
    private MembersApi members;
    private TeamsApi teams;

    @BeforeEach
    void connect() {
        client = new ApiClient();
        client.updateBaseUri(api.toString().replaceAll("/$", ""));
        members = new MembersApi(client);
        teams = new TeamsApi(client);
    }

    @Test
    void shouldServeTheDocumentsTheClientWasGeneratedFrom() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String management = managementUrl();
        for (String document : List.of("openapi", "openapi-management-interface")) {
            byte[] served = given().get(management + document + "?format=json")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asByteArray();
            assertEquals(
                    json.readTree(Files.readAllBytes(STORED.resolve(document + ".json"))),
                    json.readTree(served),
                    document + " as served on the management port is the document the build stored");
            given().get(api + "q/" + document).then().statusCode(404);
        }
    }

    @Test
    void shouldCreateReadReplaceAndDeleteAMember() throws ApiException {
        String name = Unique.name("gen-ada");
        String team = Unique.name("gen-team");
        ApiResponse<Member> created = members.createMemberWithHttpInfo(
                new MemberInput().name(name).team(team).email("ada@example.org").role("lead"));
        assertEquals(201, created.getStatusCode());
        assertEquals(1L, created.getData().getVersion());
        assertNotNull(created.getData().getJoinedAt());
        assertEquals(api + "members/" + name, header(created, "Location"));

        ApiResponse<Member> found = members.getMemberWithHttpInfo(name, null, null);
        assertEquals("lead", found.getData().getRole());
        String etag = header(found, "ETag");
        assertEquals(
                304,
                assertThrows(ApiException.class, () -> members.getMember(name, null, etag))
                        .getCode());

        // PUT without name (the path names the member); role left out is removed.
        ApiResponse<Member> replaced = members.replaceMemberWithHttpInfo(
                name, new MemberReplacement().team(team + "-b").email("ada@example.org"), etag);
        assertEquals(2L, replaced.getData().getVersion());
        assertNull(replaced.getData().getRole());
        Problem stale = problem(412, () -> members.replaceMember(name, new MemberReplacement().team(team), etag));
        assertEquals(
                "https://roster.dev/problems/precondition-failed",
                stale.getType().toString());

        // The client accepts only what the document lists for DELETE's answers: problem+json (204 has no body).
        members.deleteMember(name, header(replaced, "ETag"));
        Problem gone = problem(404, () -> members.getMember(name, null, null));
        assertEquals("/members/" + name, gone.getInstance());
    }

    @Test
    void shouldDescribeBrokenRulesInTheProblem() {
        Problem invalid = problem(
                400,
                () -> members.createMember(
                        new MemberInput().name(Unique.name("gen-bad")).team("")));
        assertEquals("team", invalid.getViolations().get(0).getField());
    }

    @Test
    void shouldImportListPageCountAndDeleteATeam() throws ApiException {
        String team = Unique.name("gen-import");
        String lines = "{\"name\":\"" + team + "-a\",\"team\":\"" + team + "\"}\n"
                + "{\"name\":\"" + team + "-b\",\"team\":\"" + team + "\"}\n"
                + "{\"name\":\"\"}\n"
                + "{\"name\":\"" + team + "-c\",\"team\":\"" + team + "\"}\n";
        BulkReport report = members.importMembers(lines);
        assertEquals(3L, report.getInserted());
        assertEquals(1L, report.getFailed());
        assertEquals(3, report.getErrors().get(0).getLine());

        TeamListing whole = teams.getTeamMembers(team, null, null, null, null);
        assertEquals(3L, whole.getCount());
        assertEquals(3, whole.getMembers().size());
        assertNull(whole.getNext());
        TeamListing first = teams.getTeamMembers(team, null, 2, null, null);
        assertEquals(team + "-b", first.getNext());
        TeamListing rest = teams.getTeamMembers(team, first.getNext(), 2, null, null);
        assertEquals(team + "-c", rest.getMembers().get(0).getName());
        assertNull(rest.getNext());

        List<TeamSize> sizes = teams.listTeams(null, null).getTeams();
        assertTrue(sizes.stream().anyMatch(s -> s.getTeam().equals(team) && s.getCount() == 3L), sizes::toString);

        assertEquals(3L, teams.deleteTeam(team).getDeleted());
        assertEquals(0L, teams.getTeamMembers(team, null, null, null, null).getCount());
    }

    /** A call that the app answers with this status, and its problem+json body read as the generated model. */
    private Problem problem(int status, Call call) {
        ApiException failure = assertThrows(ApiException.class, call::run);
        assertEquals(status, failure.getCode(), failure.getResponseBody());
        try {
            Problem problem = client.getObjectMapper().readValue(failure.getResponseBody(), Problem.class);
            assertEquals(status, problem.getStatus());
            assertFalse(problem.getTitle().isBlank());
            return problem;
        } catch (IOException e) {
            throw new AssertionError("not a Problem: " + failure.getResponseBody(), e);
        }
    }

    private static String managementUrl() throws IOException {
        Matcher started = MANAGEMENT.matcher(Files.readString(APP_LOG));
        String port = null;
        while (started.find()) {
            port = started.group(1);
        }
        assertNotNull(port, "no management interface in " + APP_LOG);
        return "http://localhost:" + port + "/q/";
    }

    private static String header(ApiResponse<?> response, String name) {
        return response.getHeaders().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(h -> h.getValue().get(0))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " header: " + response.getHeaders()));
    }

    /** A client call, for assertThrows. */
    @FunctionalInterface
    private interface Call {
        void run() throws ApiException;
    }
}
