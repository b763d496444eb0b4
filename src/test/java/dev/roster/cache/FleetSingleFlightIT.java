package dev.roster.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged application share one Redis and one MongoDB: 200 concurrent requests for one
 * cold key, split between them, cause exactly one computation (one MongoDB load) in the whole fleet.
 */
class FleetSingleFlightIT {

    private static final Pattern LOADS =
            Pattern.compile("(?m)^cache_loads_seconds_count\\{[^}]*cache=\"(team-listing|team-page)\"[^}]*} ([0-9.]+)");

    private static double loads(Fleet fleet, Fleet.Instance instance, String cache) throws Exception {
        String metrics = fleet.get(instance.management("/q/metrics")).body();
        double total = 0;
        Matcher m = LOADS.matcher(metrics);
        while (m.find()) {
            if (m.group(1).equals(cache)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** The single-flight counters of both instances, to explain a failure. */
    private static String flightCounters(Fleet fleet, Fleet.Instance a, Fleet.Instance b) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Fleet.Instance instance : List.of(a, b)) {
            fleet.get(instance.management("/q/metrics"))
                    .body()
                    .lines()
                    .filter(line -> line.startsWith("roster_cache_lease")
                            || line.startsWith("roster_cache_coalesced")
                            || line.startsWith("roster_cache_errors")
                            || line.startsWith("roster_cache_fallbacks"))
                    .forEach(line -> out.append("\n:")
                            .append(instance.httpPort())
                            .append(' ')
                            .append(line));
        }
        return out.toString();
    }

    private static List<HttpResponse<String>> burst(List<URI> targets, int total) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .executor(Executors.newFixedThreadPool(16))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            URI uri = targets.get(i % targets.size());
            calls.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (var call : calls) {
            responses.add(call.get(60, TimeUnit.SECONDS));
        }
        return responses;
    }

    private static void load(Fleet fleet, Fleet.Instance instance, String team, int size) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < size; i++) {
            lines.append("{\"name\":\"")
                    .append(team)
                    .append("-")
                    .append(String.format("%05d", i))
                    .append("\",\"team\":\"")
                    .append(team)
                    .append("\"}\n");
        }
        var request = HttpRequest.newBuilder(instance.uri("/members/bulk"))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + Fleet.writerToken())
                .POST(HttpRequest.BodyPublishers.ofString(lines.toString(), StandardCharsets.UTF_8))
                .build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
    }

    /**
     * A serving fleet is warm: fresh JVMs on a 2-core machine can stall Redis replies past the command timeout
     * while they JIT-compile, which opens the circuit (then each instance computes once, not the fleet). The
     * test is about single flight, so both instances first serve a few hundred requests of another team, and
     * their circuits must be closed before the burst.
     */
    private static void warmUp(Fleet fleet, Fleet.Instance a, Fleet.Instance b) throws Exception {
        load(fleet, a, "fleet-warmup", 50);
        for (int round = 0; round < 4; round++) {
            burst(List.of(a.uri("/teams/fleet-warmup/members"), b.uri("/teams/fleet-warmup/members")), 100);
        }
        for (Fleet.Instance instance : List.of(a, b)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!fleet.get(instance.management("/q/health/ready")).body().contains("CLOSED")) {
                assertTrue(System.nanoTime() < deadline, "Redis circuit did not close after warm-up");
                Thread.sleep(100);
            }
        }
    }

    /**
     * Rounds of distinct cold keys: a single flight that holds only most of the time (a waiter that gives up, a
     * lease gone before the entry is visible) shows as a round with more than one load, not as a flaky run.
     */
    private static final int ROUNDS = 10;

    @Test
    void shouldComputeAColdKeyOnceForTheWholeFleetInEveryRound() throws Exception {
        try (Fleet fleet = new Fleet()) {
            Fleet.Instance a = fleet.start("a");
            Fleet.Instance b = fleet.start("b");
            warmUp(fleet, a, b);
            List<String> rounds = new ArrayList<>();
            List<Double> loadsPerKey = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                String small = "fleet-small-" + round;
                String large = "fleet-large-" + round;
                load(fleet, a, small, 300);
                load(fleet, a, large, 2500);
                for (String team : new String[] {small, large}) {
                    double before = loads(fleet, a, "team-listing") + loads(fleet, b, "team-listing");
                    String path = "/teams/" + team + "/members";
                    List<HttpResponse<String>> responses = burst(List.of(a.uri(path), b.uri(path)), 200);
                    Set<String> bodies = new HashSet<>();
                    for (var r : responses) {
                        assertEquals(200, r.statusCode());
                        bodies.add(r.body());
                    }
                    assertEquals(1, bodies.size(), "every caller gets the same body");
                    String body = bodies.iterator().next();
                    assertTrue(body.contains("\"count\":" + (team.equals(small) ? 300 : 2500)), body.substring(0, 80));
                    double after = loads(fleet, a, "team-listing") + loads(fleet, b, "team-listing");
                    loadsPerKey.add(after - before);
                    rounds.add(team + ": " + (after - before) + " loads" + flightCounters(fleet, a, b));
                }
            }
            System.out.println("[fleet single flight] " + String.join("\n", rounds));
            assertEquals(
                    java.util.Collections.nCopies(2 * ROUNDS, 1.0),
                    loadsPerKey,
                    "MongoDB loads per cold key across the fleet:\n" + String.join("\n", rounds));
        }
    }
}
