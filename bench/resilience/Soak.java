import java.io.IOException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounded read-your-writes soak for {@code bench/soak.sh}: several clients against two (or more) Roster instances
 * that share one Redis and one MongoDB. Run as a single-file program:
 *
 * <pre>java Soak.java --urls http://127.0.0.1:18610,http://127.0.0.1:18620 --clients 6 --seconds 60 --teams 4
 *     --members-per-client 12 --write-pct 10 --token JWT --out summary.tsv</pre>
 *
 * <p>Each client owns members {@code soak_c<client>_<j>} (no other client touches them) spread over teams
 * {@code SOAK_0 .. SOAK_<teams-1>}, which all clients share, and keeps a model of them (present, team, role,
 * version). Per operation: {@code write-pct}% writes on a random instance — a PUT of a new role (60%), a PUT that
 * moves the member to another team (15%), a DELETE (25%), or a POST when the member is absent — and each write is
 * followed by a read on <b>every</b> instance of the member view and of each team listing it changed; the other
 * operations are reads on a random instance (half member views, half team listings, and now and then
 * {@code GET /teams}). Every read is checked against the model: a read that does not show the client's own last
 * answered write (role, team, version, presence; in listings: the own members listed, and "count" equal to the
 * members listed) is <b>stale</b>. Any unexpected status or I/O error is an <b>error</b>. Prints a summary and writes
 * it as TSV (key, value) to {@code --out}; the first stale reads are printed with their Cache-Status.
 */
public class Soak {

    static final Pattern OBJECT = Pattern.compile("\\{\"name\"[^{}]*\\}");
    static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]*)\"");
    static final Pattern TEAM = Pattern.compile("\"team\":\"([^\"]*)\"");
    static final Pattern ROLE = Pattern.compile("\"role\":\"([^\"]*)\"");
    static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    static final int MAX_REPORTED = 20;

    static final AtomicInteger reported = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        List<String> urls = Arrays.asList(opt.getOrDefault("urls", "http://127.0.0.1:8080").split(","));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "6"));
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "60"));
        int teams = Integer.parseInt(opt.getOrDefault("teams", "4"));
        int perClient = Integer.parseInt(opt.getOrDefault("members-per-client", "12"));
        int writePct = Integer.parseInt(opt.getOrDefault("write-pct", "10"));
        String token = opt.getOrDefault("token", System.getenv().getOrDefault("ROSTER_TOKEN", ""));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Client[] workers = new Client[clients];
        for (int c = 0; c < clients; c++) {
            workers[c] = new Client(http, urls, c, teams, perClient, writePct, token, 7L + c);
        }
        for (Client w : workers) {
            w.setup();
        }
        long start = System.nanoTime();
        long until = start + (long) (seconds * 1e9);
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            Client w = workers[c];
            threads[c] = new Thread(() -> w.run(until), "soak-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long reads = 0, writes = 0, verifications = 0, stale = 0, errors = 0, hits = 0, inconsistent = 0;
        long[] byWrite = new long[4];
        List<Long> readLat = new ArrayList<>(), writeLat = new ArrayList<>();
        for (Client w : workers) {
            reads += w.reads;
            writes += w.writes;
            verifications += w.verifications;
            stale += w.stale;
            errors += w.errors;
            hits += w.hits;
            inconsistent += w.inconsistent;
            for (int i = 0; i < 4; i++) {
                byWrite[i] += w.byWrite[i];
            }
            readLat.addAll(w.readLatencies);
            writeLat.addAll(w.writeLatencies);
        }
        readLat.sort(null);
        writeLat.sort(null);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("seconds", String.format(Locale.ROOT, "%.1f", elapsed));
        out.put("instances", Integer.toString(urls.size()));
        out.put("clients", Integer.toString(clients));
        out.put("requests", Long.toString(reads + writes));
        out.put("req_per_s", String.format(Locale.ROOT, "%.0f", (reads + writes) / elapsed));
        out.put("reads", Long.toString(reads));
        out.put("writes", Long.toString(writes));
        out.put("write_share", String.format(Locale.ROOT, "%.1f %%", 100.0 * writes / Math.max(1, reads + writes)));
        out.put("puts_role", Long.toString(byWrite[0]));
        out.put("puts_move", Long.toString(byWrite[1]));
        out.put("deletes", Long.toString(byWrite[2]));
        out.put("creates", Long.toString(byWrite[3]));
        out.put("reads_after_writes", Long.toString(verifications));
        out.put("stale", Long.toString(stale));
        out.put("inconsistent_listings", Long.toString(inconsistent));
        out.put("errors", Long.toString(errors));
        out.put("hit_share", String.format(Locale.ROOT, "%.0f %%", 100.0 * hits / Math.max(1, reads)));
        out.put("read_p50_ms", ms(pct(readLat, 0.5)));
        out.put("read_p99_ms", ms(pct(readLat, 0.99)));
        out.put("write_p50_ms", ms(pct(writeLat, 0.5)));
        out.put("write_p99_ms", ms(pct(writeLat, 0.99)));
        StringBuilder tsv = new StringBuilder();
        out.forEach((k, v) -> tsv.append(k).append('\t').append(v).append('\n'));
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(opt.get("out")), tsv.toString());
        }
        StringBuilder line = new StringBuilder();
        out.forEach((k, v) -> line.append(k).append('=').append(v.replace(" ", "")).append(' '));
        System.out.println(line.toString().trim());
    }

    static final class Model {
        boolean present;
        String team;
        String role;
        long version;
    }

    static final class Client {
        final HttpClient http;
        final List<String> urls;
        final int id;
        final int teams;
        final String token;
        final SplittableRandom random;
        final int writePct;
        final Map<String, Model> own = new HashMap<>();
        final List<String> names = new ArrayList<>();
        long reads, writes, verifications, stale, errors, hits, inconsistent, counter;
        final long[] byWrite = new long[4];
        final List<Long> readLatencies = new ArrayList<>();
        final List<Long> writeLatencies = new ArrayList<>();

        Client(HttpClient http, List<String> urls, int id, int teams, int perClient, int writePct, String token,
                long seed) {
            this.http = http;
            this.urls = urls;
            this.id = id;
            this.teams = teams;
            this.writePct = writePct;
            this.token = token;
            this.random = new SplittableRandom(seed);
            for (int j = 0; j < perClient; j++) {
                String name = "soak_c" + id + "_" + j;
                names.add(name);
                own.put(name, new Model());
            }
        }

        String team(int i) {
            return "SOAK_" + i;
        }

        void setup() {
            for (int j = 0; j < names.size(); j++) {
                String name = names.get(j);
                send("DELETE", urls.get(0), "/members/" + name, null);
                Model m = own.get(name);
                m.present = false;
                create(name, team(j % teams));
            }
            reads = writes = verifications = stale = errors = hits = inconsistent = 0;
            Arrays.fill(byWrite, 0);
            readLatencies.clear();
            writeLatencies.clear();
        }

        void run(long until) {
            while (System.nanoTime() < until) {
                if (random.nextInt(100) < writePct) {
                    write();
                } else {
                    String url = urls.get(random.nextInt(urls.size()));
                    int what = random.nextInt(100);
                    if (what < 48) {
                        readMember(url, names.get(random.nextInt(names.size())), false);
                    } else if (what < 96) {
                        readTeam(url, team(random.nextInt(teams)), false);
                    } else {
                        readTeams(url);
                    }
                }
            }
        }

        void write() {
            String name = names.get(random.nextInt(names.size()));
            Model m = own.get(name);
            Set<String> touched = new LinkedHashSet<>();
            if (m.present) {
                touched.add(m.team);
            }
            String url = urls.get(random.nextInt(urls.size()));
            if (!m.present) {
                String team = team(random.nextInt(teams));
                create(name, team);
                byWrite[3]++;
                touched.add(team);
            } else {
                int kind = random.nextInt(100);
                if (kind < 75) {
                    String team = m.team;
                    if (kind >= 60) {
                        team = team((Integer.parseInt(m.team.substring(5)) + 1 + random.nextInt(teams - 1)) % teams);
                        byWrite[1]++;
                    } else {
                        byWrite[0]++;
                    }
                    String role = "r" + id + "_" + (++counter);
                    Result r = timedWrite("PUT", url, "/members/" + name,
                            "{\"team\":\"" + team + "\",\"role\":\"" + role + "\"}");
                    if (r.status == 200) {
                        apply(m, r.body);
                    } else {
                        error("PUT /members/" + name, r);
                    }
                    touched.add(team);
                } else {
                    byWrite[2]++;
                    Result r = timedWrite("DELETE", url, "/members/" + name, null);
                    if (r.status == 204) {
                        m.present = false;
                    } else {
                        error("DELETE /members/" + name, r);
                    }
                }
            }
            // the NEXT read on EACH instance must show the write
            for (String u : urls) {
                readMember(u, name, true);
                for (String t : touched) {
                    readTeam(u, t, true);
                }
            }
        }

        void create(String name, String team) {
            String role = "r" + id + "_" + (++counter);
            Result r = timedWrite("POST", urls.get(random.nextInt(urls.size())), "/members",
                    "{\"name\":\"" + name + "\",\"team\":\"" + team + "\",\"role\":\"" + role + "\"}");
            if (r.status == 201) {
                apply(own.get(name), r.body);
            } else {
                error("POST /members " + name, r);
            }
        }

        void apply(Model m, String body) {
            m.present = true;
            m.team = find(TEAM, body);
            m.role = find(ROLE, body);
            m.version = Long.parseLong(find(VERSION, body));
        }

        Result timedWrite(String method, String url, String path, String body) {
            long t0 = System.nanoTime();
            Result r = send(method, url, path, body);
            writeLatencies.add((System.nanoTime() - t0) / 1000);
            writes++;
            return r;
        }

        Result timedRead(String url, String path, boolean verification) {
            long t0 = System.nanoTime();
            Result r = send("GET", url, path, null);
            readLatencies.add((System.nanoTime() - t0) / 1000);
            reads++;
            if (verification) {
                verifications++;
            }
            if (r.cacheStatus.contains("; hit")) {
                hits++;
            }
            return r;
        }

        void readMember(String url, String name, boolean verification) {
            Model m = own.get(name);
            Result r = timedRead(url, "/members/" + name, verification);
            if (r.status == 404) {
                if (m.present) {
                    stale(url, "/members/" + name, "present v" + m.version + " role " + m.role, "404", r);
                }
            } else if (r.status == 200) {
                if (!m.present) {
                    stale(url, "/members/" + name, "absent (404)", r.body, r);
                } else if (!(m.team.equals(find(TEAM, r.body)) && m.role.equals(find(ROLE, r.body))
                        && Long.toString(m.version).equals(find(VERSION, r.body)))) {
                    stale(url, "/members/" + name, "team " + m.team + " role " + m.role + " v" + m.version, r.body, r);
                }
            } else {
                error("GET /members/" + name + " on " + url, r);
            }
        }

        void readTeam(String url, String team, boolean verification) {
            Result r = timedRead(url, "/teams/" + team + "/members", verification);
            if (r.status != 200) {
                error("GET /teams/" + team + "/members on " + url, r);
                return;
            }
            Map<String, String[]> listed = new HashMap<>();
            Matcher objects = OBJECT.matcher(r.body);
            int n = 0;
            while (objects.find()) {
                String o = objects.group();
                listed.put(find(NAME, o), new String[] {find(ROLE, o), find(VERSION, o)});
                n++;
            }
            String count = find(COUNT, r.body);
            if (!Integer.toString(n).equals(count)) {
                inconsistent++;
                report("INCONSISTENT", url, "/teams/" + team + "/members", "\"count\":" + n + " (members listed)", "\"count\":" + count, r);
            }
            for (String name : names) {
                Model m = own.get(name);
                boolean expected = m.present && team.equals(m.team);
                String[] got = listed.get(name);
                if (expected && got == null) {
                    stale(url, "/teams/" + team + "/members", name + " listed", "not listed", r);
                    return;
                }
                if (!expected && got != null) {
                    stale(url, "/teams/" + team + "/members", name + " not listed", "listed", r);
                    return;
                }
                if (expected && !(m.role.equals(got[0]) && Long.toString(m.version).equals(got[1]))) {
                    stale(url, "/teams/" + team + "/members", name + " role " + m.role + " v" + m.version,
                            "role " + got[0] + " v" + got[1], r);
                    return;
                }
            }
        }

        void readTeams(String url) {
            Result r = timedRead(url, "/teams", false);
            if (r.status != 200) {
                error("GET /teams on " + url, r);
                return;
            }
            for (Model m : own.values()) {
                if (m.present && !r.body.contains("{\"team\":\"" + m.team + "\"")) {
                    stale(url, "/teams", m.team + " listed", "not listed", r);
                    return;
                }
            }
        }

        void stale(String url, String path, String expected, String got, Result r) {
            stale++;
            report("STALE", url, path, expected, got, r);
        }

        void error(String what, Result r) {
            errors++;
            if (reported.incrementAndGet() <= MAX_REPORTED) {
                System.err.println("ERROR " + what + ": status " + r.status + " " + abbreviate(r.body));
            }
        }

        static void report(String kind, String url, String path, String expected, String got, Result r) {
            if (reported.incrementAndGet() <= MAX_REPORTED) {
                System.err.println(kind + " " + url + path + ": expected " + expected + ", got " + abbreviate(got)
                        + " (Cache-Status: " + r.cacheStatus + ")");
            }
        }

        Result send(String method, String url, String path, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
            if (body != null) {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            if (!method.equals("GET") && !token.isEmpty()) {
                b.header("Authorization", "Bearer " + token);
            }
            try {
                HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Result(response.statusCode(), response.body(),
                        response.headers().firstValue("Cache-Status").orElse(""));
            } catch (IOException e) {
                return new Result(0, e.toString(), "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(0, "interrupted", "");
            }
        }
    }

    record Result(int status, String body, String cacheStatus) {}

    static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : "";
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
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
