package dev.roster.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.support.Fleet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.function.Executable;

/**
 * What a client of Roster does, over plain HTTP against one instance: requests, and the views a fault test
 * compares (a member, a team listing, a team's count in {@code /teams}). Every call is a real request; nothing
 * reads the application's internals.
 */
final class RosterClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String WRITER = Fleet.writerToken();
    static final String READER = Fleet.token("reader");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Percent-encodes one path segment: everything but RFC 3986 unreserved characters. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String memberPath(String name) {
        return "/members/" + segment(name);
    }

    static String listingPath(String team) {
        return "/teams/" + segment(team) + "/members";
    }

    HttpResponse<String> send(
            URI uri, String method, String token, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(Fleet.Instance instance, String path, String... headers) {
        return send(instance.uri(path), "GET", null, null, null, headers);
    }

    HttpResponse<String> management(Fleet.Instance instance, String method, String path, String token) {
        return send(instance.management(path), method, token, null, null);
    }

    /** Creates a member through this instance (writer token); fails the test unless 201. */
    JsonNode create(Fleet.Instance instance, String name, String team, String email) {
        HttpResponse<String> r =
                send(instance.uri("/members"), "POST", WRITER, "application/json", memberJson(name, team, email));
        assertEquals(201, r.statusCode(), () -> "create " + name + ": " + r.body());
        return json(r);
    }

    HttpResponse<String> put(Fleet.Instance instance, String name, String team, String email) {
        return send(instance.uri(memberPath(name)), "PUT", WRITER, "application/json", memberJson(null, team, email));
    }

    /** Upserts NDJSON lines through this instance (writer token); fails the test unless 200. */
    void bulk(Fleet.Instance instance, String ndjson) {
        HttpResponse<String> r = send(instance.uri("/members/bulk"), "POST", WRITER, "application/x-ndjson", ndjson);
        assertEquals(200, r.statusCode(), () -> "bulk: " + r.body());
    }

    static String memberJson(String name, String team, String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) {
            body.put("name", name);
        }
        body.put("team", team);
        if (email != null) {
            body.put("email", email);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a path twice so that the second answer comes from the cache; fails the test (a broken precondition,
     * not the fault under test) unless it does.
     */
    void warm(Fleet.Instance instance, String path) {
        get(instance, path);
        HttpResponse<String> second = get(instance, path);
        assertTrue(
                cacheStatus(second).contains("hit"),
                () -> "precondition: " + instance.name() + " " + path + " should be a hit, was " + second.statusCode()
                        + " " + cacheStatus(second));
    }

    /**
     * Checks, one per instance and view, that each instance serves {@code name} as moved from team {@code from} to
     * {@code to}: its member view, both teams' listings.
     */
    List<Executable> movedEverywhere(List<Fleet.Instance> instances, String name, String from, String to) {
        List<Executable> views = new ArrayList<>();
        for (Fleet.Instance i : instances) {
            views.add(() -> assertEquals(
                    to,
                    member(i, name).map(m -> m.get("team").asText()).orElse(null),
                    i.name() + ": the member's team"));
            views.add(() -> assertFalse(
                    listing(i, from).containsKey(name), i.name() + ": the old team's listing still has it"));
            views.add(
                    () -> assertTrue(listing(i, to).containsKey(name), i.name() + ": the new team's listing lacks it"));
        }
        return views;
    }

    /** The member as this instance serves it, or empty when it answers 404; fails on any other status. */
    Optional<JsonNode> member(Fleet.Instance instance, String name) {
        HttpResponse<String> r = get(instance, memberPath(name));
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        assertEquals(200, r.statusCode(), () -> instance.name() + " GET member " + name + ": " + r.body());
        return Optional.of(json(r));
    }

    /** The team's listing as this instance serves it: member name to member; fails unless 200. */
    Map<String, JsonNode> listing(Fleet.Instance instance, String team) {
        HttpResponse<String> r = get(instance, listingPath(team));
        assertEquals(200, r.statusCode(), () -> instance.name() + " GET listing " + team + ": " + r.body());
        Map<String, JsonNode> members = new LinkedHashMap<>();
        for (JsonNode m : json(r).get("members")) {
            members.put(m.get("name").asText(), m);
        }
        return members;
    }

    /** The team's count in {@code /teams} as this instance serves it (0 when the team is not listed). */
    long teamCount(Fleet.Instance instance, String team) {
        HttpResponse<String> r = get(instance, "/teams");
        assertEquals(200, r.statusCode(), () -> instance.name() + " GET /teams: " + r.body());
        for (JsonNode t : json(r).get("teams")) {
            if (t.get("team").asText().equals(team)) {
                return t.get("count").asLong();
            }
        }
        return 0;
    }

    static String cacheStatus(HttpResponse<?> r) {
        return r.headers().firstValue("Cache-Status").orElse("");
    }

    static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + r.body(), e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /**
     * Opens a raw connection and writes a request head (CRLF line ends added) and body bytes, without waiting
     * for an answer: the caller decides when the client goes away.
     */
    static Socket raw(Fleet.Instance instance, String head, byte[] body) throws IOException {
        Socket socket = new Socket("127.0.0.1", instance.httpPort());
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        out.write((head.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return socket;
    }
}
