import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Steady load and its per-phase report, for {@code bench/faults.sh}. Run as a single-file program.
 *
 * <p><b>load</b> — {@code java FaultLoad.java load --url U --out requests.csv --clients 8 --rate 300 --max-seconds 600
 * --stop-file F [--team SMALL --prefix small_ --members 100] [--write-prefix f_ --write-team FAULTS --write-members 20
 * --write-rate 5] [--token JWT]}: {@code clients} threads, paced to {@code rate} requests/s in total, each request
 * a {@code GET /members/<prefix><i>} or a {@code GET /teams/<team>/members} (half each), plus one writer thread
 * doing {@code PUT /members/<write-prefix><i>} (a new role) {@code write-rate} times a second on a team the readers
 * never read (so writes do not turn the readers' hits into misses); the writer pauses while the file
 * {@code --pause-writes-file} (default: the stop file's name plus {@code .pause-writes}) exists. One CSV line per request:
 * {@code epochMillis,kind,status,micros,cache,Cache-Status} with cache one of hit, miss, bypass, stale, none (and
 * the header as answered, commas replaced by spaces); status 0 is a
 * connection error or a timeout (10 s). Stops when the stop file exists or after {@code max-seconds}.
 *
 * <p><b>closed</b> — {@code java FaultLoad.java closed --urls A,B --path /teams/SMALL/members --clients 16 --out
 * burst.csv --stop-file F --max-seconds 60}: a closed loop (no pacing, each thread sends its next request when the
 * previous one is answered) of {@code clients} threads, thread {@code i} on URL {@code i mod n}, all on one path.
 * Same CSV as {@code load}, kind "listing-A" for the first URL, "listing-B" for the second, and so on.
 *
 * <p><b>report</b> — {@code java FaultLoad.java report --log requests.csv --phases phases.tsv --meta meta.tsv
 * --checks checks.tsv --out faults.md}: phases.tsv has {@code name, fromMillis, toMillis, WARN "Redis is
 * unavailable" lines, WARN lines (all), note}; per phase it prints requests, failures (status 0, or 4xx/5xx other
 * than a 503 on a write or while MongoDB is documented down), 503s, p50/p99/max of GETs, the share of GETs
 * answered from the cache (hit, plus stale), and the notes; then the checks table, and with {@code --events
 * events.tsv} (event, requests, stale reads, failures, details) a table of the fault events that count stale reads.
 */
public class FaultLoad {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: FaultLoad load|report --options");
        }
        Map<String, String> opt = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "load" -> load(opt);
            case "closed" -> closed(opt);
            case "report" -> report(opt);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    // ------------------------------------------------------------------------------------------ load

    static void load(Map<String, String> opt) throws Exception {
        String url = opt.getOrDefault("url", "http://127.0.0.1:8080");
        Path out = Path.of(opt.get("out"));
        Path stop = Path.of(opt.get("stop-file"));
        Path pauseWrites = Path.of(opt.getOrDefault("pause-writes-file", opt.get("stop-file") + ".pause-writes"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "8"));
        double rate = Double.parseDouble(opt.getOrDefault("rate", "300"));
        double maxSeconds = Double.parseDouble(opt.getOrDefault("max-seconds", "600"));
        String team = opt.getOrDefault("team", "SMALL");
        String prefix = opt.getOrDefault("prefix", "small_");
        int members = Integer.parseInt(opt.getOrDefault("members", "100"));
        String writePrefix = opt.getOrDefault("write-prefix", "f_");
        String writeTeam = opt.getOrDefault("write-team", "FAULTS");
        int writeMembers = Integer.parseInt(opt.getOrDefault("write-members", "20"));
        double writeRate = Double.parseDouble(opt.getOrDefault("write-rate", "5"));
        String token = opt.getOrDefault("token", System.getenv().getOrDefault("ROSTER_TOKEN", ""));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        long until = System.nanoTime() + (long) (maxSeconds * 1e9);
        Writer sink = new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8), 1 << 16);
        Object lock = new Object();
        List<Thread> threads = new ArrayList<>();
        long intervalNanos = (long) (clients / rate * 1e9);
        for (int c = 0; c < clients; c++) {
            int seed = c;
            threads.add(new Thread(() -> {
                SplittableRandom random = new SplittableRandom(1000 + seed);
                long next = System.nanoTime() + random.nextLong(intervalNanos);
                while (System.nanoTime() < until && !Files.exists(stop)) {
                    pace(next);
                    next += intervalNanos;
                    long now = System.nanoTime();
                    if (next < now - 1_000_000_000L) {
                        next = now; // do not fire a burst to catch up after a long stall
                    }
                    boolean member = random.nextBoolean();
                    String path = member
                            ? "/members/" + prefix + random.nextInt(members)
                            : "/teams/" + team + "/members";
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build();
                    send(http, request, member ? "member" : "listing", sink, lock);
                }
            }, "reader-" + c));
        }
        if (writeRate > 0) {
            threads.add(new Thread(() -> {
                long interval = (long) (1e9 / writeRate);
                long next = System.nanoTime();
                int n = 0;
                while (System.nanoTime() < until && !Files.exists(stop)) {
                    pace(next);
                    next = Math.max(next + interval, System.nanoTime() - 1_000_000_000L);
                    if (Files.exists(pauseWrites)) {
                        continue;
                    }
                    String name = writePrefix + (n % writeMembers);
                    String body = "{\"team\":\"" + writeTeam + "\",\"role\":\"r" + n + "\"}";
                    n++;
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/members/" + name))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body));
                    if (!token.isEmpty()) {
                        b.header("Authorization", "Bearer " + token);
                    }
                    send(http, b.build(), "write", sink, lock);
                }
            }, "writer"));
        }
        Thread flusher = new Thread(() -> {
            while (System.nanoTime() < until && !Files.exists(stop)) {
                try {
                    Thread.sleep(250);
                    synchronized (lock) {
                        sink.flush();
                    }
                } catch (InterruptedException | IOException e) {
                    return;
                }
            }
        }, "flusher");
        flusher.setDaemon(true);
        flusher.start();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        synchronized (lock) {
            sink.close();
        }
    }

    static void closed(Map<String, String> opt) throws Exception {
        String[] urls = opt.get("urls").split(",");
        String path = opt.getOrDefault("path", "/teams/SMALL/members");
        Path out = Path.of(opt.get("out"));
        Path stop = Path.of(opt.get("stop-file"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "16"));
        double maxSeconds = Double.parseDouble(opt.getOrDefault("max-seconds", "120"));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        long until = System.nanoTime() + (long) (maxSeconds * 1e9);
        Writer sink = new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8), 1 << 16);
        Object lock = new Object();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            URI uri = URI.create(urls[c % urls.length] + path);
            String kind = "listing-" + (char) ('A' + c % urls.length);
            threads.add(new Thread(() -> {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
                while (System.nanoTime() < until && !Files.exists(stop)) {
                    send(http, request, kind, sink, lock);
                }
            }, "closed-" + c));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        synchronized (lock) {
            sink.close();
        }
    }

    static void pace(long next) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void send(HttpClient http, HttpRequest request, String kind, Writer sink, Object lock) {
        long wall = System.currentTimeMillis();
        long start = System.nanoTime();
        int status;
        String cache = "none";
        String raw = "";
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            status = response.statusCode();
            String cs = response.headers().firstValue("Cache-Status").orElse("");
            raw = cs.replace(',', ' ');
            if (cs.contains("; hit")) {
                cache = "hit";
            } else if (cs.contains("fwd=stale")) {
                cache = "stale";
            } else if (cs.contains("fwd=bypass")) {
                cache = "bypass";
            } else if (cs.contains("fwd=miss")) {
                cache = "miss";
            }
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long micros = (System.nanoTime() - start) / 1000;
        String line = wall + "," + kind + "," + status + "," + micros + "," + cache + "," + raw + "\n";
        synchronized (lock) {
            try {
                sink.write(line);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ report

    record Sample(long at, String kind, int status, long micros, String cache) {}

    static void report(Map<String, String> opt) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(opt.get("log")))) {
            String[] f = line.split(",");
            if (f.length >= 5) {
                samples.add(new Sample(Long.parseLong(f[0]), f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), f[4]));
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# Roster under faults (bench/faults.sh)\n\n");
        for (String[] m : tsv(opt.get("meta"))) {
            md.append("- **").append(m[0]).append("**: ").append(m.length > 1 ? m[1] : "").append('\n');
        }
        md.append("\n| phase | s | requests | failures | 503 GET | 503 write | p50 ms | p99 ms | max ms | GETs > 300 ms | hits | stale"
                + " | \"Redis is unavailable\" WARN | WARN lines | notes |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        // when the (empty) MongoDB restart began: a 404 answered after it is the empty store's, whatever phase
        // the request started in
        long emptyStoreFrom = Long.MAX_VALUE, emptyStoreTo = Long.MIN_VALUE;
        for (String[] p : tsv(opt.get("phases"))) {
            if (p[0].contains("restarted")) {
                emptyStoreFrom = Math.min(emptyStoreFrom, Long.parseLong(p[1]));
                emptyStoreTo = Math.max(emptyStoreTo, Long.parseLong(p[2]));
            }
        }
        for (String[] p : tsv(opt.get("phases"))) {
            String name = p[0];
            long from = Long.parseLong(p[1]);
            long to = Long.parseLong(p[2]);
            boolean mongoDown = name.contains("MongoDB down");
            boolean emptyStore = name.contains("restarted"); // an in-memory MongoDB comes back empty
            long emptyFrom = emptyStoreFrom, emptyTo = emptyStoreTo;
            long requests = 0, failures = 0, unavailable = 0, unavailableWrites = 0, hits = 0, stale = 0, gets = 0, slow = 0;
            List<Long> latencies = new ArrayList<>();
            for (Sample s : samples) {
                if (s.at < from || s.at >= to) {
                    continue;
                }
                requests++;
                boolean write = s.kind.equals("write");
                if (s.status == 503 && write) {
                    unavailableWrites++;
                } else if (s.status == 503) {
                    unavailable++;
                }
                boolean ok = s.status >= 200 && s.status < 400;
                boolean documented503 = s.status == 503 && (write || mongoDown);
                long answeredAt = s.at + s.micros / 1000;
                boolean documented404 = s.status == 404 && (emptyStore || (answeredAt >= emptyFrom && answeredAt <= emptyTo));
                if (!ok && !documented503 && !documented404) {
                    failures++;
                }
                if (!write) {
                    gets++;
                    latencies.add(s.micros);
                    if (s.micros > 300_000) {
                        slow++;
                    }
                    if (s.cache.equals("hit")) {
                        hits++;
                    } else if (s.cache.equals("stale")) {
                        stale++;
                    }
                }
            }
            latencies.sort(null);
            md.append("| ").append(name)
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", (to - from) / 1000.0))
                    .append(" | ").append(requests)
                    .append(" | ").append(failures)
                    .append(" | ").append(unavailable)
                    .append(" | ").append(unavailableWrites)
                    .append(" | ").append(ms(pct(latencies, 0.50)))
                    .append(" | ").append(ms(pct(latencies, 0.99)))
                    .append(" | ").append(ms(latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1)))
                    .append(" | ").append(slow)
                    .append(" | ").append(gets == 0 ? "-" : String.format(Locale.ROOT, "%.0f %%", 100.0 * hits / gets))
                    .append(" | ").append(stale)
                    .append(" | ").append(p.length > 3 ? p[3] : "")
                    .append(" | ").append(p.length > 4 ? p[4] : "")
                    .append(" | ").append(p.length > 5 ? p[5] : "")
                    .append(" |\n");
        }
        List<String[]> checks = tsv(opt.get("checks"));
        if (!checks.isEmpty()) {
            md.append("\n| check | expected | observed | result |\n|---|---|---|---|\n");
            for (String[] c : checks) {
                md.append("| ").append(String.join(" | ", Arrays.copyOf(c, 4)).replace("null", "")).append(" |\n");
            }
        }
        List<String[]> events = tsv(opt.get("events"));
        if (!events.isEmpty()) {
            md.append("\n### Fault events: requests, stale reads, failures\n\n| event | requests | stale reads | failures | details |\n|---|--:|--:|--:|---|\n");
            for (String[] e : events) {
                md.append("| ").append(String.join(" | ", Arrays.copyOf(e, 5)).replace("null", "")).append(" |\n");
            }
        }
        md.append("\nFailures: connection errors, timeouts (10 s) and any status >= 400, except 503 on writes and on"
                + " reads while MongoDB is down (documented), and 404 answered after the restart of the (empty) MongoDB began, until its data is reloaded (requests are counted in the phase they started in). Latencies and hit shares are of GETs (writes excluded);"
                + " `hits` counts `Cache-Status: roster; hit`, `stale` counts `fwd=stale`.\n");
        Files.writeString(Path.of(opt.get("out")), md.toString());
        System.out.print(md);
    }

    static long pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static String ms(long micros) {
        return micros < 0 ? "-" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    static List<String[]> tsv(String file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (file == null || !Files.exists(Path.of(file))) {
            return rows;
        }
        for (String line : Files.readAllLines(Path.of(file))) {
            if (!line.isBlank()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + args[i]);
            }
            map.put(args[i].substring(2), args[i + 1]);
        }
        return map;
    }
}
