package dev.roster.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small HTTP helpers over RestAssured for the tests. */
public final class Api {

    private Api() {}

    public static Map<String, Object> member(String name, String team) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("team", team);
        return body;
    }

    public static Response create(String name, String team) {
        return given().contentType(ContentType.JSON).body(member(name, team)).post("/members");
    }

    public static Response listing(String team) {
        return given().urlEncodingEnabled(false).get("/teams/" + segment(team) + "/members");
    }

    public static Response memberView(String name) {
        return given().urlEncodingEnabled(false).get("/members/" + segment(name));
    }

    /** Percent-encodes one path segment (RestAssured would read braces in values as templates). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Bulk-imports {@code size} members named {@code <team>-<i>} into {@code team} (names sort as strings). */
    public static void bulkTeam(String team, int size) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < size; i++) {
            lines.append("{\"name\":\"")
                    .append(team)
                    .append('-')
                    .append(i)
                    .append("\",\"team\":\"")
                    .append(team)
                    .append("\"}\n");
        }
        given().contentType("application/x-ndjson")
                .body(lines.toString().getBytes(StandardCharsets.UTF_8))
                .post("/members/bulk")
                .then()
                .statusCode(200);
    }

    public static Response deleteTeam(String team) {
        return given().urlEncodingEnabled(false).delete("/teams/" + segment(team));
    }

    public static String cacheStatus(Response r) {
        return r.header("Cache-Status");
    }
}
