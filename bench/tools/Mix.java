import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write-heavy mix with a read-your-writes check, for {@code bench/run.sh}. Run as a single-file program:
 *
 * <pre>java bench/tools/Mix.java --url http://127.0.0.1:8080 --team MIX --prefix mix_ --members 100
 *     --clients 16 --seconds 15 --warmup 3 --write-pct 10</pre>
 *
 * <p>Each client thread owns a disjoint slice of the team's members ({@code prefix0 .. prefix(members-1)}), so
 * only it changes them. Per operation it draws: {@code write-pct}% {@code PUT /members/{name}} with a new
 * {@code role}; of the rest, half {@code GET /teams/{team}/members} and half {@code GET /members/{name}} of one of
 * its own members. Every read is checked against the roles this client has written and has seen answered: a
 * read that shows an older role of any own member is <b>stale</b> (target 0). Prints one line of
 * {@code key=value} pairs: requests, req/s, p50/p99 in ms, reads, writes, checked reads, stale reads, errors, and the
 * reads the cache answered (hits, hit rate).
 * Writes carry {@code Authorization: Bearer} when {@code --token} or the environment variable {@code ROSTER_TOKEN}
 * is set (a prod-profile Roster needs a roster-writer token).
 */
public class Mix {

    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern NAME = Pattern.compile("\"name\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ROLE = Pattern.compile("\"role\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        String url = opt.getOrDefault("url", "http://127.0.0.1:8080");
        String team = opt.getOrDefault("team", "MIX");
        String prefix = opt.getOrDefault("prefix", "mix_");
        int members = Integer.parseInt(opt.getOrDefault("members", "100"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "16"));
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "15"));
        double warmup = Double.parseDouble(opt.getOrDefault("warmup", "3"));
        int writePct = Integer.parseInt(opt.getOrDefault("write-pct", "10"));
        String token = opt.getOrDefault("token", System.getenv().getOrDefault("ROSTER_TOKEN", ""));
        if (members < clients) {
            throw new IllegalArgumentException("need at least one member per client");
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long until = measureFrom + (long) (seconds * 1e9);
        Client[] workers = new Client[clients];
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            List<String> own = new ArrayList<>();
            for (int m = c; m < members; m += clients) {
                own.add(prefix + m);
            }
            workers[c] = new Client(http, url, team, own, writePct, token, measureFrom, until, 42L + c);
            threads[c] = new Thread(workers[c], "mix-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long reads = 0, writes = 0, checked = 0, stale = 0, errors = 0, hits = 0;
        long[] all = new long[0];
        long[] readLatencies = new long[0];
        long[] writeLatencies = new long[0];
        for (Client w : workers) {
            reads += w.reads;
            writes += w.writes;
            checked += w.checked;
            stale += w.stale;
            errors += w.errors;
            hits += w.hits;
            long[] l = Arrays.copyOf(w.latencies, w.count);
            long[] merged = Arrays.copyOf(all, all.length + l.length);
            System.arraycopy(l, 0, merged, all.length, l.length);
            all = merged;
            readLatencies = concat(readLatencies, w.readLatencies.build().toArray());
            writeLatencies = concat(writeLatencies, w.writeLatencies.build().toArray());
        }
        Arrays.sort(all);
        Arrays.sort(readLatencies);
        Arrays.sort(writeLatencies);
        long requests = all.length;
        System.out.printf(
                "requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f read_p50_ms=%.2f write_p50_ms=%.2f reads=%d writes=%d"
                        + " checked=%d stale=%d errors=%d hits=%d hit_rate=%.3f%n",
                requests,
                requests / seconds,
                percentile(all, 0.50),
                percentile(all, 0.99),
                percentile(readLatencies, 0.50),
                percentile(writeLatencies, 0.50),
                reads,
                writes,
                checked,
                stale,
                errors,
                hits,
                reads == 0 ? Double.NaN : (double) hits / reads);
        for (Client w : workers) {
            for (String s : w.staleExamples) {
                System.err.println("stale: " + s);
            }
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        return opt;
    }

    /** One client: its own members, its own expectations, its own latency record. */
    static final class Client implements Runnable {
        final HttpClient http;
        final String url;
        final String team;
        final List<String> own;
        final int writePct;
        final String token;
        final long measureFrom;
        final long until;
        final SplittableRandom random;
        final Map<String, String> expected = new HashMap<>();
        final List<String> staleExamples = new ArrayList<>();
        final java.util.stream.LongStream.Builder readLatencies = java.util.stream.LongStream.builder();
        final java.util.stream.LongStream.Builder writeLatencies = java.util.stream.LongStream.builder();
        long[] latencies = new long[1 << 14];
        int count;
        long reads, writes, checked, stale, errors, hits;
        /** Starts from the clock, so that no role written by an earlier run (or round) is ever written again. */
        static final AtomicLong SEQ = new AtomicLong(System.currentTimeMillis() * 1000);

        Client(HttpClient http, String url, String team, List<String> own, int writePct, String token,
                long measureFrom, long until, long seed) {
            this.http = http;
            this.url = url;
            this.team = team;
            this.own = own;
            this.writePct = writePct;
            this.token = token;
            this.measureFrom = measureFrom;
            this.until = until;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void run() {
            while (true) {
                long t0 = System.nanoTime();
                if (t0 >= until) {
                    return;
                }
                boolean measured = t0 >= measureFrom;
                int draw = random.nextInt(100);
                String member = own.get(random.nextInt(own.size()));
                try {
                    if (draw < writePct) {
                        write(member, measured);
                    } else if (draw < writePct + (100 - writePct) / 2) {
                        readListing(measured);
                    } else {
                        readMember(member, measured);
                    }
                } catch (IOException e) {
                    if (measured) {
                        errors++;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (measured) {
                    long nanos = System.nanoTime() - t0;
                    record(nanos);
                    (draw < writePct ? writeLatencies : readLatencies).add(nanos);
                }
            }
        }

        private void write(String member, boolean measured) throws IOException, InterruptedException {
            String role = "r" + SEQ.incrementAndGet();
            String body = "{\"team\":\"" + team + "\",\"role\":\"" + role + "\"}";
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + "/members/" + segment(member)))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body));
            if (!token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (measured) {
                writes++;
            }
            if (response.statusCode() == 200) {
                expected.put(member, role);
            } else if (measured) {
                errors++;
            }
        }

        private void readListing(boolean measured) throws IOException, InterruptedException {
            HttpResponse<String> response = get("/teams/" + segment(team) + "/members");
            count(response, measured);
            if (response.statusCode() != 200) {
                if (measured) {
                    errors++;
                }
                return;
            }
            Map<String, String> seen = new HashMap<>();
            Matcher objects = OBJECT.matcher(response.body());
            while (objects.find()) {
                String object = objects.group();
                Matcher name = NAME.matcher(object);
                if (name.find()) {
                    Matcher role = ROLE.matcher(object);
                    seen.put(name.group(1), role.find() ? role.group(1) : null);
                }
            }
            check(seen, "listing", measured);
        }

        private void readMember(String member, boolean measured) throws IOException, InterruptedException {
            HttpResponse<String> response = get("/members/" + segment(member));
            count(response, measured);
            if (response.statusCode() != 200) {
                if (measured) {
                    errors++;
                }
                return;
            }
            Matcher role = ROLE.matcher(response.body());
            Map<String, String> seen = new HashMap<>();
            seen.put(member, role.find() ? role.group(1) : null);
            check(seen, "member " + member, measured);
        }

        /** A measured read, and whether the cache answered it ({@code Cache-Status} says hit). */
        private void count(HttpResponse<String> response, boolean measured) {
            if (measured) {
                reads++;
                if (response.headers().firstValue("Cache-Status").orElse("").contains("hit")) {
                    hits++;
                }
            }
        }

        /** Stale when any own member this client has written shows another role than its last write. */
        private void check(Map<String, String> seen, String what, boolean measured) {
            boolean anyChecked = false;
            for (var e : expected.entrySet()) {
                if (!seen.containsKey(e.getKey())) {
                    continue;
                }
                anyChecked = true;
                String actual = seen.get(e.getKey());
                if (!e.getValue().equals(actual)) {
                    if (measured) {
                        stale++;
                        if (staleExamples.size() < 3) {
                            staleExamples.add(what + ": " + e.getKey() + " role=" + actual + " expected=" + e.getValue());
                        }
                    }
                    if (measured) {
                        checked++;
                    }
                    return;
                }
            }
            if (anyChecked && measured) {
                checked++;
            }
        }

        private HttpResponse<String> get(String path) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        private static String segment(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
