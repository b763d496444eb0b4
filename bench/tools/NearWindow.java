import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The near cache's cross-instance window, as a client sees it: a member's view is held in B's near cache, the
 * member is changed through A, and right after A's answer the client reads it from B. Counts the reads B served
 * from before the answered write (a read-your-writes violation across instances) and, for those, how long after
 * A's answer B served the new state.
 *
 *   java bench/tools/NearWindow.java A_URL B_URL AUTH_HEADER_FILE ROUNDS
 */
public class NearWindow {

    public static void main(String[] args) throws Exception {
        URI a = URI.create(args[0]);
        URI b = URI.create(args[1]);
        String auth = Files.readString(Path.of(args[2])).trim();
        int rounds = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String team = "NEARWIN";
        int members = 8;
        for (int m = 0; m < members; m++) {
            send(http, HttpRequest.newBuilder(a.resolve("/members"))
                    .header("Content-Type", "application/json")
                    .header(auth.substring(0, auth.indexOf(':')), auth.substring(auth.indexOf(':') + 1).trim())
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"nw_" + m + "\",\"team\":\"" + team + "\",\"role\":\"r-start\"}"))
                    .build());
        }
        int notNear = 0;
        int stale = 0;
        List<Double> windows = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String name = "nw_" + (i % members);
            URI view = b.resolve("/members/" + name);
            boolean near = false;
            for (int t = 0; t < 50 && !near; t++) {
                near = header(send(http, HttpRequest.newBuilder(view).GET().build()), "Cache-Status").contains("near");
            }
            if (!near) {
                notNear++;
                continue;
            }
            String role = "r" + i;
            HttpResponse<String> put = send(http, HttpRequest.newBuilder(a.resolve("/members/" + name))
                    .header("Content-Type", "application/json")
                    .header(auth.substring(0, auth.indexOf(':')), auth.substring(auth.indexOf(':') + 1).trim())
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"team\":\"" + team + "\",\"role\":\"" + role + "\"}"))
                    .build());
            long answered = System.nanoTime();
            if (put.statusCode() != 200) {
                throw new IllegalStateException("PUT answered " + put.statusCode() + ": " + put.body());
            }
            if (send(http, HttpRequest.newBuilder(view).GET().build()).body().contains("\"" + role + "\"")) {
                continue;
            }
            stale++;
            while (!send(http, HttpRequest.newBuilder(view).GET().build()).body().contains("\"" + role + "\"")) {
                if (System.nanoTime() - answered > Duration.ofSeconds(10).toNanos()) {
                    throw new IllegalStateException("B still serves the old " + name + " 10 s after the write");
                }
            }
            windows.add((System.nanoTime() - answered) / 1e6);
        }
        Collections.sort(windows);
        int measured = rounds - notNear;
        System.out.printf("rounds=%d measured=%d not_near_before_write=%d stale_first_reads=%d stale_pct=%.3f%n",
                rounds, measured, notNear, stale, measured == 0 ? 0 : 100.0 * stale / measured);
        if (!windows.isEmpty()) {
            System.out.printf("stale_window_ms median=%.2f p99=%.2f p999=%.2f max=%.2f%n",
                    q(windows, 0.5), q(windows, 0.99), q(windows, 0.999), windows.get(windows.size() - 1));
        }
    }

    private static double q(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String header(HttpResponse<String> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
