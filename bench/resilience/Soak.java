import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * followed by a read on <b>every</b> instance, the other instances first (so the first read after the answer goes
 * through an instance that did not write), of the member view and of each team listing it changed; the other
 * operations are reads on a random instance (half member views, half team listings, and now and then
 * {@code GET /teams}). Every read is checked against the model: a read that does not show the client's own last
 * answered write (role, team, version, presence; in listings: the own members listed, and "count" equal to the
 * members listed) is <b>stale</b>. Any unexpected status or I/O error is an <b>error</b>. Prints a summary and writes
 * it as TSV (key, value) to {@code --out}; the first stale reads are printed with their Cache-Status.
 *
 * <p>Phases, for fault events driven from outside ({@code bench/soak.sh}): with {@code --phase-file F} every request
 * is counted in the phase named by F's content when it started (F is read every 10 ms); the summary of
 * {@code --out} is that of phase {@code soak} (the first), and {@code --phases-out P} gets one TSV line per phase.
 * {@code --ready-file R} is created once the members are set up; the run ends when {@code --stop-file S} exists (or
 * after {@code --seconds}). With {@code --redis-port N --key-prefix X --delete-keys-phase NAME}, while the phase
 * name starts with NAME a thread deletes Redis keys at random: every {@code --delete-every-ms} (default 3) it SCANs
 * up to 200 keys {@code X:*}, DELs a random third of them, and one round in ten also DELs the epoch
 * {@code X:{epoch}}; deletions are counted by kind (tag generations {@code X:g:*}, the epoch, entries, others).
 * While {@code --pause-file P} exists the clients start no new operation, and {@code P.ack} exists once none is in
 * flight (to restart Redis while no instance talks to it).
 */
public class Soak {

    static final Pattern OBJECT = Pattern.compile("\\{\"name\"[^{}]*\\}");
    static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]*)\"");
    static final Pattern TEAM = Pattern.compile("\"team\":\"([^\"]*)\"");
    static final Pattern ROLE = Pattern.compile("\"role\":\"([^\"]*)\"");
    static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");
    static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    static final int MAX_REPORTED = 20;

    static final Map<String, AtomicInteger> REPORTED = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        List<String> urls = Arrays.asList(opt.getOrDefault("urls", "http://127.0.0.1:8080").split(","));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "6"));
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "60"));
        int teams = Integer.parseInt(opt.getOrDefault("teams", "4"));
        int perClient = Integer.parseInt(opt.getOrDefault("members-per-client", "12"));
        int writePct = Integer.parseInt(opt.getOrDefault("write-pct", "10"));
        String token = opt.getOrDefault("token", System.getenv().getOrDefault("ROSTER_TOKEN", ""));
        Path phaseFile = opt.containsKey("phase-file") ? Path.of(opt.get("phase-file")) : null;
        Path stopFile = opt.containsKey("stop-file") ? Path.of(opt.get("stop-file")) : null;
        pauseFile = opt.containsKey("pause-file") ? Path.of(opt.get("pause-file")) : null;
        Thread poller = new Thread(() -> poll(phaseFile, stopFile), "phase-poller");
        poller.setDaemon(true);
        readPhase(phaseFile);
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
        if (opt.containsKey("ready-file")) {
            Files.writeString(Path.of(opt.get("ready-file")), "ready\n");
        }
        long start = System.nanoTime();
        long until = start + (long) (seconds * 1e9);
        TIMELINE.put(phase, new long[] {start, start});
        poller.start();
        KeyDeleter deleter = null;
        if (opt.containsKey("delete-keys-phase")) {
            deleter = new KeyDeleter(Integer.parseInt(opt.get("redis-port")), opt.getOrDefault("key-prefix", "roster"),
                    opt.get("delete-keys-phase"), Long.parseLong(opt.getOrDefault("delete-every-ms", "3")), until);
            deleter.start();
        }
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            Client w = workers[c];
            threads[c] = new Thread(() -> w.run(until), "soak-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        stopped = true;
        if (deleter != null) {
            deleter.join();
        }
        long end = System.nanoTime();
        TIMELINE.get(phase)[1] = end;
        // phases in the order they began; "soak" (the first) is the summary of --out
        Map<String, Stats> merged = new LinkedHashMap<>();
        for (String name : TIMELINE.keySet()) {
            Stats m = new Stats();
            for (Client w : workers) {
                Stats s = w.stats.get(name);
                if (s != null) {
                    m.add(s);
                }
            }
            merged.put(name, m);
        }
        String first = TIMELINE.keySet().iterator().next();
        long[] span = TIMELINE.get(first);
        Map<String, String> out = summary(merged.get(first), (span[1] - span[0]) / 1e9, urls.size(), clients);
        StringBuilder tsv = new StringBuilder();
        out.forEach((k, v) -> tsv.append(k).append('\t').append(v).append('\n'));
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(opt.get("out")), tsv.toString());
        }
        StringBuilder line = new StringBuilder();
        out.forEach((k, v) -> line.append(k).append('=').append(v.replace(" ", "")).append(' '));
        System.out.println(line.toString().trim());
        if (opt.containsKey("phases-out")) {
            StringBuilder phases = new StringBuilder("phase\tseconds\trequests\treads\twrites\treads_after_writes"
                    + "\tother_instance_reads_after_writes\tstale\terrors\tinconsistent_listings\thit_share\tread_p50_ms"
                    + "\tread_p99_ms\tread_max_ms\tdel_rounds\tdel_keys\tdel_generations\tdel_epoch\tdel_entries\tdel_other\n");
            for (var e : merged.entrySet()) {
                long[] t = TIMELINE.get(e.getKey());
                Stats st = e.getValue();
                st.readLatencies.sort(null);
                long[] del = deleter == null ? new long[6] : deleter.counts(e.getKey());
                phases.append(e.getKey()).append('\t')
                        .append(String.format(Locale.ROOT, "%.1f", (t[1] - t[0]) / 1e9)).append('\t')
                        .append(st.reads + st.writes).append('\t')
                        .append(st.reads).append('\t')
                        .append(st.writes).append('\t')
                        .append(st.verifications).append('\t')
                        .append(st.crossReads).append('\t')
                        .append(st.stale).append('\t')
                        .append(st.errors).append('\t')
                        .append(st.inconsistent).append('\t')
                        .append(String.format(Locale.ROOT, "%.0f %%", 100.0 * st.hits / Math.max(1, st.reads))).append('\t')
                        .append(ms(pct(st.readLatencies, 0.5))).append('\t')
                        .append(ms(pct(st.readLatencies, 0.99))).append('\t')
                        .append(ms(pct(st.readLatencies, 1.0)));
                for (long d : del) {
                    phases.append('\t').append(d);
                }
                phases.append('\n');
            }
            Files.writeString(Path.of(opt.get("phases-out")), phases.toString());
        }
    }

    // ------------------------------------------------------------------------------------------ phases

    /** The phase requests are counted in now, and when each phase began and ended (nanoTime). */
    static volatile String phase = "soak";
    static volatile boolean stopped;
    static final Map<String, long[]> TIMELINE = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    static void readPhase(Path file) {
        if (file == null) {
            return;
        }
        try {
            String name = Files.readString(file).trim();
            if (!name.isEmpty() && !name.equals(phase)) {
                long now = System.nanoTime();
                long[] previous = TIMELINE.get(phase);
                if (previous != null) {
                    previous[1] = now;
                }
                TIMELINE.putIfAbsent(name, new long[] {now, now});
                phase = name;
            }
        } catch (IOException e) {
            // being rewritten: read it at the next tick
        }
    }

    /** While the pause file exists clients start no new operation; its ".ack" exists once none is in flight. */
    static volatile boolean paused;
    static final AtomicInteger ACTIVE = new AtomicInteger();
    static Path pauseFile;

    static void poll(Path phaseFile, Path stopFile) {
        while (!stopped) {
            readPhase(phaseFile);
            if (stopFile != null && Files.exists(stopFile)) {
                stopped = true;
            }
            if (pauseFile != null) {
                paused = Files.exists(pauseFile);
                Path ack = Path.of(pauseFile + ".ack");
                try {
                    if (paused && ACTIVE.get() == 0) {
                        if (!Files.exists(ack)) {
                            Files.writeString(ack, "idle\n");
                        }
                    } else {
                        Files.deleteIfExists(ack);
                    }
                } catch (IOException e) {
                    // next tick
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static Map<String, String> summary(Stats st, double elapsed, int instances, int clients) {
        long reads = st.reads, writes = st.writes;
        List<Long> readLat = st.readLatencies, writeLat = st.writeLatencies;
        long[] byWrite = st.byWrite;
        readLat.sort(null);
        writeLat.sort(null);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("seconds", String.format(Locale.ROOT, "%.1f", elapsed));
        out.put("instances", Integer.toString(instances));
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
        out.put("reads_after_writes", Long.toString(st.verifications));
        out.put("other_instance_reads_after_writes", Long.toString(st.crossReads));
        out.put("stale", Long.toString(st.stale));
        out.put("inconsistent_listings", Long.toString(st.inconsistent));
        out.put("errors", Long.toString(st.errors));
        out.put("hit_share", String.format(Locale.ROOT, "%.0f %%", 100.0 * st.hits / Math.max(1, reads)));
        out.put("read_p50_ms", ms(pct(readLat, 0.5)));
        out.put("read_p99_ms", ms(pct(readLat, 0.99)));
        out.put("write_p50_ms", ms(pct(writeLat, 0.5)));
        out.put("write_p99_ms", ms(pct(writeLat, 0.99)));
        return out;
    }

    /** Counts of one client (or, merged, of all) in one phase. */
    static final class Stats {
        long reads, writes, verifications, crossReads, stale, errors, hits, inconsistent;
        final long[] byWrite = new long[4];
        final List<Long> readLatencies = new ArrayList<>();
        final List<Long> writeLatencies = new ArrayList<>();

        void add(Stats o) {
            reads += o.reads;
            writes += o.writes;
            verifications += o.verifications;
            crossReads += o.crossReads;
            stale += o.stale;
            errors += o.errors;
            hits += o.hits;
            inconsistent += o.inconsistent;
            for (int i = 0; i < 4; i++) {
                byWrite[i] += o.byWrite[i];
            }
            readLatencies.addAll(o.readLatencies);
            writeLatencies.addAll(o.writeLatencies);
        }
    }

    // ------------------------------------------------------------------------------------------ lost keys

    /** Deletes random Redis keys of the cache while the phase starts with its name; counts per phase and kind. */
    static final class KeyDeleter extends Thread {
        final int port;
        final String prefix;
        final String during;
        final long everyMs;
        final long until;
        final SplittableRandom random = new SplittableRandom(42);
        /** per phase: rounds, keys deleted, generations, epoch, entries, other */
        final Map<String, long[]> counts = new ConcurrentHashMap<>();

        KeyDeleter(int port, String prefix, String during, long everyMs, long until) {
            super("key-deleter");
            setDaemon(true);
            this.port = port;
            this.prefix = prefix;
            this.during = during;
            this.everyMs = everyMs;
            this.until = until;
        }

        long[] counts(String phase) {
            return counts.getOrDefault(phase, new long[6]);
        }

        @Override
        public void run() {
            Resp redis = null;
            String cursor = "0";
            while (!stopped && System.nanoTime() < until) {
                String now = phase;
                if (!now.startsWith(during)) {
                    pause(20);
                    continue;
                }
                try {
                    if (redis == null) {
                        redis = new Resp(port);
                    }
                    List<?> reply = (List<?>) redis.call("SCAN", cursor, "MATCH", prefix + ":*", "COUNT", "200");
                    cursor = (String) reply.get(0);
                    List<String> victims = new ArrayList<>();
                    for (Object key : (List<?>) reply.get(1)) {
                        if (random.nextInt(3) == 0) {
                            victims.add((String) key);
                        }
                    }
                    String epoch = prefix + ":{epoch}";
                    if (random.nextInt(10) == 0 && !victims.contains(epoch)) {
                        victims.add(epoch);
                    }
                    long[] c = counts.computeIfAbsent(now, k -> new long[6]);
                    c[0]++;
                    for (String key : victims) { // pipelined: one DEL per key, to count by kind
                        redis.send("DEL", key);
                    }
                    for (String key : victims) {
                        Object deleted = redis.read();
                        if (!(deleted instanceof Long n) || n != 1) {
                            continue;
                        }
                        c[1]++;
                        if (key.startsWith(prefix + ":g:")) {
                            c[2]++;
                        } else if (key.equals(epoch)) {
                            c[3]++;
                        } else if (key.startsWith(prefix + ":e:")) {
                            c[4]++;
                        } else {
                            c[5]++;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    System.err.println("KEY-DELETER " + e);
                    if (redis != null) {
                        redis.close();
                    }
                    redis = null;
                    pause(100);
                }
                pause(everyMs);
            }
            if (redis != null) {
                redis.close();
            }
        }

        static void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A minimal RESP2 client: commands as arrays of bulk strings; replies as String, Long, List or null. */
    static final class Resp implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Resp(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = socket.getOutputStream();
        }

        Object call(String... args) throws IOException {
            send(args);
            return read();
        }

        void send(String... args) throws IOException {
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
                b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Object read() throws IOException {
            int type = in.readUnsignedByte();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("Redis error: " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] bytes = new byte[n];
                    in.readFully(bytes);
                    line();
                    return new String(bytes, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("unexpected RESP type " + (char) type);
            }
        }

        String line() throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.readUnsignedByte()) != '\r') {
                b.append((char) c);
            }
            in.readUnsignedByte(); // \n
            return b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
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
        /** per phase; only this client's thread touches it until the run ends */
        final Map<String, Stats> stats = new HashMap<>();
        long counter;

        /** The stats of the phase now, fetched when a request starts. */
        Stats now() {
            return stats.computeIfAbsent(phase, k -> new Stats());
        }

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
                create(name, team(j % teams), urls.get(random.nextInt(urls.size())));
            }
            stats.clear();
        }

        void run(long until) {
            while (System.nanoTime() < until && !stopped) {
                ACTIVE.incrementAndGet(); // before looking at the pause flag, so that the ".ack" never lies
                try {
                    if (!paused) {
                        operation();
                    }
                } finally {
                    ACTIVE.decrementAndGet();
                }
                while (paused && !stopped) {
                    KeyDeleter.pause(2);
                }
            }
        }

        void operation() {
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
                create(name, team, url).st().byWrite[3]++;
                touched.add(team);
            } else {
                int kind = random.nextInt(100);
                if (kind < 75) {
                    String team = m.team;
                    boolean move = kind >= 60;
                    if (move) {
                        team = team((Integer.parseInt(m.team.substring(5)) + 1 + random.nextInt(teams - 1)) % teams);
                    }
                    String role = "r" + id + "_" + (++counter);
                    Result r = timedWrite("PUT", url, "/members/" + name,
                            "{\"team\":\"" + team + "\",\"role\":\"" + role + "\"}");
                    r.st().byWrite[move ? 1 : 0]++;
                    if (r.status == 200) {
                        apply(m, r.body);
                    } else {
                        error("PUT /members/" + name, r);
                    }
                    touched.add(team);
                } else {
                    Result r = timedWrite("DELETE", url, "/members/" + name, null);
                    r.st().byWrite[2]++;
                    if (r.status == 204) {
                        m.present = false;
                    } else {
                        error("DELETE /members/" + name, r);
                    }
                }
            }
            // the NEXT read on EACH instance must show the write: the other instances first, then the writer's
            List<String> order = new ArrayList<>();
            for (String u : urls) {
                if (!u.equals(url)) {
                    order.add(u);
                }
            }
            order.add(url);
            for (String u : order) {
                boolean other = !u.equals(url);
                readMember(u, name, true, other);
                for (String t : touched) {
                    readTeam(u, t, true, other);
                }
            }
        }

        Result create(String name, String team, String url) {
            String role = "r" + id + "_" + (++counter);
            Result r = timedWrite("POST", url, "/members",
                    "{\"name\":\"" + name + "\",\"team\":\"" + team + "\",\"role\":\"" + role + "\"}");
            if (r.status == 201) {
                apply(own.get(name), r.body);
            } else {
                error("POST /members " + name, r);
            }
            return r;
        }

        void apply(Model m, String body) {
            m.present = true;
            m.team = find(TEAM, body);
            m.role = find(ROLE, body);
            m.version = Long.parseLong(find(VERSION, body));
        }

        Result timedWrite(String method, String url, String path, String body) {
            Stats st = now();
            String ph = phase;
            long t0 = System.nanoTime();
            Result r = send(method, url, path, body).in(st, ph);
            st.writeLatencies.add((System.nanoTime() - t0) / 1000);
            st.writes++;
            return r;
        }

        Result timedRead(String url, String path, boolean verification, boolean otherInstance) {
            Stats st = now();
            String ph = phase;
            long t0 = System.nanoTime();
            Result r = send("GET", url, path, null).in(st, ph);
            st.readLatencies.add((System.nanoTime() - t0) / 1000);
            st.reads++;
            if (verification) {
                st.verifications++;
                if (otherInstance) {
                    st.crossReads++;
                }
            }
            if (r.cacheStatus.contains("; hit")) {
                st.hits++;
            }
            return r;
        }

        void readMember(String url, String name, boolean verification) {
            readMember(url, name, verification, false);
        }

        void readMember(String url, String name, boolean verification, boolean otherInstance) {
            Model m = own.get(name);
            Result r = timedRead(url, "/members/" + name, verification, otherInstance);
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
            readTeam(url, team, verification, false);
        }

        void readTeam(String url, String team, boolean verification, boolean otherInstance) {
            Result r = timedRead(url, "/teams/" + team + "/members", verification, otherInstance);
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
                r.st().inconsistent++;
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
            Result r = timedRead(url, "/teams", false, false);
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
            r.st().stale++;
            report("STALE", url, path, expected, got, r);
        }

        void error(String what, Result r) {
            r.st().errors++;
            if (reportable(r.phase())) {
                System.err.println("[" + r.phase() + "] ERROR " + what + ": status " + r.status + " " + abbreviate(r.body));
            }
        }

        static void report(String kind, String url, String path, String expected, String got, Result r) {
            if (reportable(r.phase())) {
                System.err.println("[" + r.phase() + "] " + kind + " " + url + path + ": expected " + expected + ", got "
                        + abbreviate(got) + " (Cache-Status: " + r.cacheStatus + ")");
            }
        }

        /** At most MAX_REPORTED problems printed per phase. */
        static boolean reportable(String phase) {
            return REPORTED.computeIfAbsent(phase, k -> new AtomicInteger()).incrementAndGet() <= MAX_REPORTED;
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

    record Result(int status, String body, String cacheStatus, Stats st, String phase) {
        Result(int status, String body, String cacheStatus) {
            this(status, body, cacheStatus, null, null);
        }

        /** This answer counted in the stats of the phase its request started in. */
        Result in(Stats stats, String name) {
            return new Result(status, body, cacheStatus, stats, name);
        }
    }

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
