import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;

/**
 * MongoDB write faults for {@code bench/faults.sh}: a MongoDB-aware TCP proxy that can hold or swallow the replies
 * to write commands, and the two events that use it. Run as a single-file program with the MongoDB Java driver
 * (resolved by Roster's own build) on the classpath.
 *
 * <p><b>proxy</b> — {@code java -cp DRIVER WriteFaults.java proxy --listen 18502 --target 127.0.0.1:18500
 * --control 18503}: forwards whole wire-protocol messages between Roster and MongoDB and knows which command each
 * reply answers (the first key of the {@code OP_MSG} body). Commands on the control port, one line each, answered
 * with one line: {@code pass}; {@code delay MS CMD[,CMD…]} (hold those replies MS ms); {@code drop CMD[,CMD…]}
 * (swallow them: the command still reaches MongoDB and runs there); {@code count CMD} (answers "forwarded
 * replied answered swallowed"). {@code *} stands for every command. Runs until killed.
 *
 * <p><b>disconnect</b> — {@code … disconnect --a URL --b URL --control 18503 --mongo mongodb://127.0.0.1:18500
 * --members 12 --rounds 3 --delay-ms 1000 --out event.tsv}: members {@code disc_<i>} on teams DISC_X / DISC_Y;
 * per round every view is made a cache hit on both instances, then each member is moved to the other team by a
 * raw-socket {@code PUT} to B (the proxied instance) whose socket is closed before any answer: half once their
 * {@code update} has reached MongoDB (its reply held by the proxy), half right after the request was sent.
 * Once every held reply has reached B, both instances must serve what MongoDB holds (read directly, not through
 * the proxy): the member views, both listings and the two rows of {@code /teams}.
 *
 * <p><b>lost-reply</b> — {@code … lost-reply --a URL --b URL --control 18503 --mongo URI --members 8 --rounds 2
 * --out event.tsv}: members {@code lost_<i>} on teams LOST_X / LOST_Y; per round every view is made a hit on both
 * instances, then the proxy swallows the replies to every write command while B takes PUTs that move members (and
 * some DELETEs); each must answer 503 (B's MongoDB read timeout). Right after the answers, with the proxy passing
 * again, both instances must serve what MongoDB holds.
 *
 * <p>Both events write a TSV (key, value) with requests, writes, stale reads, failures and details; each stale
 * read names the instance, the view, what was served (with its Cache-Status) and what MongoDB held.
 */
public class WriteFaults {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: WriteFaults proxy|disconnect|lost-reply --options");
        }
        Map<String, String> opt = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "proxy" -> Proxy.run(opt);
            case "disconnect" -> new Event("disconnect", opt).disconnect();
            case "lost-reply" -> new Event("lost-reply", opt).lostReply();
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    // ============================================================================================== proxy

    static final class Proxy {
        enum Action { PASS, DELAY, DROP }

        record Rule(Action action, long delayMillis, Set<String> commands) {
            boolean applies(String command) {
                return commands == null || commands.contains(command);
            }
        }

        static final Rule PASS = new Rule(Action.PASS, 0, null);
        static final int OP_QUERY = 2004;
        static final int OP_MSG = 2013;
        static final int HEADER = 16;

        final InetSocketAddress target;
        final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "proxy");
            t.setDaemon(true);
            return t;
        });
        final Map<String, AtomicLong> forwarded = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> replied = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> answered = new ConcurrentHashMap<>();
        final AtomicLong swallowed = new AtomicLong();
        volatile Rule rule = PASS;

        Proxy(InetSocketAddress target) {
            this.target = target;
        }

        static void run(Map<String, String> opt) throws Exception {
            String[] t = opt.get("target").split(":");
            Proxy proxy = new Proxy(new InetSocketAddress(t[0], Integer.parseInt(t[1])));
            ServerSocket data = new ServerSocket();
            data.setReuseAddress(true);
            data.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(opt.get("listen"))));
            ServerSocket control = new ServerSocket();
            control.setReuseAddress(true);
            control.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(opt.get("control"))));
            proxy.threads.execute(() -> proxy.acceptControl(control));
            System.out.println("mongo-proxy listening on 127.0.0.1:" + data.getLocalPort() + " -> " + opt.get("target")
                    + ", control on " + control.getLocalPort());
            System.out.flush();
            proxy.accept(data);
        }

        void accept(ServerSocket server) {
            while (true) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 2000);
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                } catch (IOException e) {
                    close(client); // MongoDB is down: the client sees its connection closed at once
                    close(upstream);
                    continue;
                }
                Map<Integer, String> pending = new ConcurrentHashMap<>();
                threads.execute(() -> clientToServer(client, upstream, pending));
                threads.execute(() -> serverToClient(client, upstream, pending));
            }
        }

        void clientToServer(Socket client, Socket upstream, Map<Integer, String> pending) {
            try (InputStream in = new BufferedInputStream(client.getInputStream())) {
                OutputStream out = upstream.getOutputStream();
                DataInputStream data = new DataInputStream(in);
                while (true) {
                    byte[] message = readMessage(data);
                    String command = commandOf(message);
                    pending.put(intAt(message, 4), command);
                    out.write(message);
                    out.flush();
                    count(forwarded, command);
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                close(client);
                close(upstream);
            }
        }

        void serverToClient(Socket client, Socket upstream, Map<Integer, String> pending) {
            try (InputStream in = new BufferedInputStream(upstream.getInputStream())) {
                OutputStream out = client.getOutputStream();
                DataInputStream data = new DataInputStream(in);
                while (true) {
                    byte[] message = readMessage(data);
                    long arrived = System.currentTimeMillis();
                    String command = pending.getOrDefault(intAt(message, 8), "");
                    pending.remove(intAt(message, 8));
                    count(replied, command);
                    Rule now = rule;
                    if (now.action() != Action.PASS && now.applies(command)) {
                        if (now.action() == Action.DROP) {
                            swallowed.incrementAndGet();
                            continue;
                        }
                        long wait = arrived + now.delayMillis() - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                    out.write(message);
                    out.flush();
                    count(answered, command);
                }
            } catch (IOException | InterruptedException e) {
                // either side went away
            } finally {
                close(client);
                close(upstream);
            }
        }

        void acceptControl(ServerSocket control) {
            while (true) {
                try {
                    Socket s = control.accept();
                    threads.execute(() -> serveControl(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        void serveControl(Socket s) {
            try (s;
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] w = line.trim().split("\\s+");
                    try {
                        switch (w[0]) {
                            case "pass" -> {
                                rule = PASS;
                                out.println("ok");
                            }
                            case "delay" -> {
                                rule = new Rule(Action.DELAY, Long.parseLong(w[1]), commands(w[2]));
                                out.println("ok");
                            }
                            case "drop" -> {
                                rule = new Rule(Action.DROP, 0, commands(w[1]));
                                out.println("ok");
                            }
                            case "count" -> out.println(get(forwarded, w[1]) + " " + get(replied, w[1]) + " "
                                    + get(answered, w[1]) + " " + swallowed.get());
                            default -> out.println("error unknown command " + w[0]);
                        }
                    } catch (RuntimeException e) {
                        out.println("error " + e);
                    }
                }
            } catch (IOException e) {
                // control client went away
            }
        }

        static Set<String> commands(String list) {
            return list.equals("*") ? null : Set.of(list.split(","));
        }

        static void count(Map<String, AtomicLong> counts, String command) {
            counts.computeIfAbsent(command, c -> new AtomicLong()).incrementAndGet();
        }

        static long get(Map<String, AtomicLong> counts, String command) {
            AtomicLong n = counts.get(command);
            return n == null ? 0 : n.get();
        }

        static byte[] readMessage(DataInputStream in) throws IOException {
            byte[] header = new byte[HEADER];
            in.readFully(header);
            int length = intAt(header, 0);
            if (length < HEADER) {
                throw new EOFException("not a MongoDB wire-protocol message (length " + length + ")");
            }
            byte[] message = Arrays.copyOf(header, length);
            in.readFully(message, HEADER, length - HEADER);
            return message;
        }

        /** The command a request carries: the first key of its command document ("" when it cannot be told). */
        static String commandOf(byte[] message) {
            int opCode = intAt(message, 12);
            int at;
            if (opCode == OP_MSG) {
                at = HEADER + 4;
                while (at < message.length && message[at] == 1) {
                    at += 1 + intAt(message, at + 1);
                }
                if (at >= message.length) {
                    return "";
                }
                at += 1;
            } else if (opCode == OP_QUERY) {
                at = HEADER + 4;
                while (at < message.length && message[at] != 0) {
                    at++;
                }
                at += 1 + 8;
            } else {
                return "";
            }
            int nameStart = at + 4 + 1;
            int end = nameStart;
            while (end < message.length && message[end] != 0) {
                end++;
            }
            return end >= message.length ? "" : new String(message, nameStart, end - nameStart, StandardCharsets.UTF_8);
        }

        static int intAt(byte[] bytes, int at) {
            return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
                    | (bytes[at + 3] & 0xff) << 24;
        }

        static void close(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The proxy's control port, from the event side. */
    static final class Control implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final PrintWriter out;

        Control(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        synchronized String send(String line) throws IOException {
            out.println(line);
            String answer = in.readLine();
            if (answer == null || answer.startsWith("error")) {
                throw new IOException("proxy control: " + line + " -> " + answer);
            }
            return answer;
        }

        /** forwarded, replied, answered of one command, and the replies swallowed in all. */
        long[] count(String command) throws IOException {
            return Arrays.stream(send("count " + command).split(" ")).mapToLong(Long::parseLong).toArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ============================================================================================== events

    record Answer(int status, String body, String cacheStatus) {}

    /** What MongoDB holds for one member; null team when absent. */
    record Truth(String team, String role, long version) {
        String show() {
            return team == null ? "absent" : "team " + team + " role " + role + " v" + version;
        }
    }

    static final class Event {
        final String name;
        final String a;
        final String b;
        final int controlPort;
        final String mongoUri;
        final String token;
        final Path out;
        final int members;
        final int rounds;
        final long delayMillis;
        final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final List<String> staleReads = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> failureNotes = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, String> facts = new LinkedHashMap<>();
        long writes;
        long checkedReads;
        long checkedHits;
        long warmSecondReads;
        long warmSecondHits;

        Event(String name, Map<String, String> opt) {
            this.name = name;
            this.a = opt.get("a");
            this.b = opt.get("b");
            this.controlPort = Integer.parseInt(opt.get("control"));
            this.mongoUri = opt.get("mongo");
            this.token = opt.getOrDefault("token", System.getenv().getOrDefault("ROSTER_TOKEN", ""));
            this.out = Path.of(opt.get("out"));
            this.members = Integer.parseInt(opt.getOrDefault("members", name.equals("disconnect") ? "12" : "8"));
            this.rounds = Integer.parseInt(opt.getOrDefault("rounds", name.equals("disconnect") ? "3" : "2"));
            this.delayMillis = Long.parseLong(opt.getOrDefault("delay-ms", "1000"));
        }

        String instanceName(String url) {
            return url.equals(a) ? "A" : "B";
        }

        // ------------------------------------------------------------------ event 4: clients leave mid-PUT

        void disconnect() throws Exception {
            List<String> names = names("disc_");
            String x = "DISC_X", y = "DISC_Y";
            setup(names, x);
            long abandonedAfterForward = 0, abandonedAtOnce = 0, heldReplies = 0;
            try (Control proxy = new Control(controlPort); MongoClient mongo = MongoClients.create(mongoUri)) {
                MongoCollection<Document> stored = mongo.getDatabase("roster").getCollection("members");
                for (int round = 1; round <= rounds; round++) {
                    Map<String, Truth> before = truth(stored, names);
                    warm(names, List.of(x, y));
                    int half = names.size() / 2;
                    // (1) sockets closed once the write reached MongoDB; its reply is held by the proxy
                    long[] c0 = proxy.count("update");
                    proxy.send("delay " + delayMillis + " findAndModify,update,delete,insert");
                    List<Socket> open = new ArrayList<>();
                    for (int i = 0; i < half; i++) {
                        open.add(rawPut(names.get(i), other(before.get(names.get(i)).team(), x, y), "disc-r" + round + "-" + i));
                    }
                    writes += half;
                    boolean reached = awaitCount(proxy, "update", 0, c0[0] + half, 10_000);
                    for (Socket s : open) {
                        Proxy.close(s);
                    }
                    abandonedAfterForward += half;
                    if (!reached) {
                        failure("round " + round + ": only " + (proxy.count("update")[0] - c0[0]) + " of " + half
                                + " PUTs reached MongoDB within 10 s of being sent");
                    }
                    // (2) sockets closed right after the request was written
                    for (int i = half; i < names.size(); i++) {
                        Proxy.close(rawPut(names.get(i), other(before.get(names.get(i)).team(), x, y),
                                "disc-r" + round + "-" + i));
                    }
                    writes += names.size() - half;
                    abandonedAtOnce += names.size() - half;
                    // every write that reached MongoDB has had its reply passed on to B, and none came for 1.5 s
                    if (!awaitQuiet(proxy, "update", 15_000)) {
                        failure("round " + round + ": the held replies were not all passed on within 15 s");
                    }
                    long[] c1 = proxy.count("update");
                    heldReplies += c1[2] - c0[2];
                    proxy.send("pass");
                    Thread.sleep(200); // B's eviction follows MongoDB's reply within a Redis round trip
                    Map<String, Truth> truth = truth(stored, names);
                    long landed = names.stream().filter(n -> truth.get(n).version() != before.get(n).version()).count();
                    facts.merge("PUTs that landed in MongoDB", Long.toString(landed), (p, q) -> Long.toString(Long.parseLong(p) + Long.parseLong(q)));
                    for (int pass = 0; pass < 3; pass++) {
                        verify("round " + round + " read " + (pass + 1), names, List.of(x, y), truth);
                        Thread.sleep(150);
                    }
                }
            }
            facts.put("PUTs abandoned after reaching MongoDB", Long.toString(abandonedAfterForward));
            facts.put("PUTs abandoned right after sending", Long.toString(abandonedAtOnce));
            facts.put("replies held " + delayMillis + " ms then passed to B", Long.toString(heldReplies));
            finish();
        }

        /** A PUT on a raw socket to B; the caller closes the socket without reading an answer. */
        Socket rawPut(String member, String team, String role) throws IOException {
            URI uri = URI.create(b);
            byte[] body = ("{\"team\":\"" + team + "\",\"role\":\"" + role + "\"}").getBytes(StandardCharsets.UTF_8);
            Socket s = new Socket(uri.getHost(), uri.getPort());
            String head = "PUT /members/" + member + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n";
            OutputStream o = s.getOutputStream();
            o.write(head.getBytes(StandardCharsets.US_ASCII));
            o.write(body);
            o.flush();
            requests.incrementAndGet();
            return s;
        }

        // ------------------------------------------------------------------ event 5: lost write replies

        void lostReply() throws Exception {
            List<String> names = names("lost_");
            String x = "LOST_X", y = "LOST_Y";
            setup(names, x);
            long answered503 = 0, swallowedReplies = 0;
            Map<Integer, Long> statuses = new TreeMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try (Control proxy = new Control(controlPort); MongoClient mongo = MongoClients.create(mongoUri)) {
                MongoCollection<Document> stored = mongo.getDatabase("roster").getCollection("members");
                for (int round = 1; round <= rounds; round++) {
                    Map<String, Truth> before = truth(stored, names);
                    for (String n : names) { // members deleted in the previous round come back first
                        if (before.get(n).team() == null) {
                            Answer r = send("POST", a, "/members", "{\"name\":\"" + n + "\",\"team\":\"" + x + "\",\"role\":\"back\"}");
                            if (r.status() != 201) {
                                failure("recreating " + n + ": " + r.status() + " " + abbreviate(r.body()));
                            }
                        }
                    }
                    before = truth(stored, names);
                    warm(names, List.of(x, y));
                    long swallowed0 = proxy.count("update")[3];
                    proxy.send("drop findAndModify,update,delete,insert");
                    List<Future<Answer>> answers = new ArrayList<>();
                    List<String> what = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        String n = names.get(i);
                        boolean delete = i % 4 == 3;
                        String team = other(before.get(n).team(), x, y);
                        String role = "lost-r" + round + "-" + i;
                        what.add((delete ? "DELETE " : "PUT (to " + team + ") ") + n);
                        answers.add(pool.submit(() -> delete
                                ? send("DELETE", b, "/members/" + n, null)
                                : send("PUT", b, "/members/" + n, "{\"team\":\"" + team + "\",\"role\":\"" + role + "\"}")));
                    }
                    for (int i = 0; i < answers.size(); i++) {
                        Answer r = answers.get(i).get();
                        writes++;
                        statuses.merge(r.status(), 1L, Long::sum);
                        if (r.status() == 503) {
                            answered503++;
                        } else {
                            failure("round " + round + ": " + what.get(i) + " on B answered " + r.status() + " (expected 503) "
                                    + abbreviate(r.body()));
                        }
                    }
                    swallowedReplies += proxy.count("update")[3] - swallowed0;
                    proxy.send("pass");
                    Map<String, Truth> truth = truth(stored, names);
                    for (int pass = 0; pass < 3; pass++) { // at once, no settling time: the 503 was the answer
                        verify("round " + round + " read " + (pass + 1), names, List.of(x, y), truth);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            facts.put("writes answered 503", Long.toString(answered503));
            facts.put("write statuses", statuses.toString());
            facts.put("replies swallowed by the proxy", Long.toString(swallowedReplies));
            finish();
        }

        // ------------------------------------------------------------------ shared

        List<String> names(String prefix) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                names.add(prefix + i);
            }
            return names;
        }

        void setup(List<String> names, String team) {
            for (String n : names) {
                send("DELETE", a, "/members/" + n, null);
                Answer r = send("POST", a, "/members", "{\"name\":\"" + n + "\",\"team\":\"" + team + "\",\"role\":\"start\"}");
                if (r.status() != 201) {
                    throw new IllegalStateException("setup: POST " + n + " answered " + r.status() + " " + r.body());
                }
            }
            requests.set(0); // the event's requests start after its setup
        }

        static String other(String team, String x, String y) {
            return x.equals(team) ? y : x;
        }

        /** Member views, both listings and {@code /teams}, read twice on each instance: cached hits. */
        void warm(List<String> names, List<String> teams) {
            for (String url : List.of(a, b)) {
                for (int i = 0; i < 2; i++) {
                    List<Answer> answers = new ArrayList<>();
                    for (String n : names) {
                        answers.add(send("GET", url, "/members/" + n, null));
                    }
                    for (String t : teams) {
                        answers.add(send("GET", url, "/teams/" + t + "/members", null));
                    }
                    answers.add(send("GET", url, "/teams", null));
                    if (i == 1) { // the second read of each view should be a hit: the cache holds the old data
                        warmSecondReads += answers.size();
                        warmSecondHits += answers.stream().filter(r -> r.cacheStatus().contains("; hit")).count();
                    }
                }
            }
        }

        Map<String, Truth> truth(MongoCollection<Document> stored, List<String> names) {
            Map<String, Truth> truth = new LinkedHashMap<>();
            for (String n : names) {
                truth.put(n, new Truth(null, null, -1));
            }
            for (Document d : stored.find(Filters.in("name", names))) {
                truth.put(d.getString("name"), new Truth(d.getString("team"), d.getString("role"),
                        ((Number) d.get("version")).longValue()));
            }
            return truth;
        }

        /** Every view on both instances against what MongoDB holds; mismatches are stale reads. */
        Answer checked(String url, String path) {
            Answer r = send("GET", url, path, null);
            checkedReads++;
            if (r.cacheStatus().contains("; hit")) {
                checkedHits++;
            }
            return r;
        }

        void verify(String when, List<String> names, List<String> teams, Map<String, Truth> truth) {
            for (String url : List.of(a, b)) {
                String inst = instanceName(url);
                for (String n : names) {
                    Truth t = truth.get(n);
                    Answer r = checked(url, "/members/" + n);
                    if (r.status() == 404) {
                        if (t.team() != null) {
                            stale(when, inst, "/members/" + n, "404", t.show(), r);
                        }
                    } else if (r.status() == 200) {
                        Document m = Document.parse(r.body());
                        Truth served = new Truth(m.getString("team"), m.getString("role"), ((Number) m.get("version")).longValue());
                        if (!served.equals(t)) {
                            stale(when, inst, "/members/" + n, served.show(), t.show(), r);
                        }
                    } else {
                        failure(when + ": " + inst + " GET /members/" + n + " answered " + r.status() + " " + abbreviate(r.body()));
                    }
                }
                for (String team : teams) {
                    Answer r = checked(url, "/teams/" + team + "/members");
                    if (r.status() != 200) {
                        failure(when + ": " + inst + " GET /teams/" + team + "/members answered " + r.status());
                        continue;
                    }
                    Map<String, Truth> listed = new TreeMap<>();
                    @SuppressWarnings("unchecked")
                    List<Document> ms = (List<Document>) Document.parse(r.body()).get("members");
                    for (Document m : ms) {
                        listed.put(m.getString("name"), new Truth(team, m.getString("role"), ((Number) m.get("version")).longValue()));
                    }
                    Map<String, Truth> expected = new TreeMap<>();
                    truth.forEach((n, t) -> {
                        if (team.equals(t.team())) {
                            expected.put(n, t);
                        }
                    });
                    if (!listed.equals(expected)) {
                        stale(when, inst, "/teams/" + team + "/members", describe(listed), describe(expected), r);
                    }
                }
                Answer r = checked(url, "/teams");
                if (r.status() != 200) {
                    failure(when + ": " + inst + " GET /teams answered " + r.status());
                    continue;
                }
                Map<String, Long> counts = new TreeMap<>();
                @SuppressWarnings("unchecked")
                List<Document> rows = (List<Document>) Document.parse(r.body()).get("teams");
                for (Document row : rows) {
                    counts.put(row.getString("team"), ((Number) row.get("count")).longValue());
                }
                for (String team : teams) {
                    long expected = truth.values().stream().filter(t -> team.equals(t.team())).count();
                    long served = counts.getOrDefault(team, 0L);
                    if (served != expected) {
                        stale(when, inst, "/teams (row " + team + ")", "count " + served, "count " + expected, r);
                    }
                }
            }
        }

        static String describe(Map<String, Truth> members) {
            StringBuilder s = new StringBuilder("[");
            members.forEach((n, t) -> s.append(s.length() > 1 ? ", " : "").append(n).append(' ').append(t.role()).append(" v").append(t.version()));
            return s.append(']').toString();
        }

        void stale(String when, String inst, String view, String served, String held, Answer r) {
            staleReads.add(when + ": " + inst + " " + view + " served " + served + " (Cache-Status: " + r.cacheStatus()
                    + "), MongoDB held " + held);
        }

        void failure(String note) {
            failures.incrementAndGet();
            failureNotes.add(note);
        }

        Answer send(String method, String url, String path, String body) {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
            if (body != null) {
                req.header("Content-Type", "application/json");
                req.method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                req.method(method, HttpRequest.BodyPublishers.noBody());
            }
            if (!method.equals("GET") && !token.isEmpty()) {
                req.header("Authorization", "Bearer " + token);
            }
            requests.incrementAndGet();
            try {
                HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Cache-Status").orElse(""));
            } catch (IOException e) {
                return new Answer(0, e.toString(), "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, "interrupted", "");
            }
        }

        /** Waits until count[index] of the command reaches target; false after the timeout. */
        static boolean awaitCount(Control proxy, String command, int index, long target, long timeoutMillis)
                throws Exception {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (proxy.count(command)[index] < target) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        }

        /** Waits until every forwarded command was answered and none was forwarded for 1.5 s. */
        static boolean awaitQuiet(Control proxy, String command, long timeoutMillis) throws Exception {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            long last = proxy.count(command)[0];
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() < deadline) {
                long[] c = proxy.count(command);
                if (c[0] != last) {
                    last = c[0];
                    quietSince = System.currentTimeMillis();
                } else if (c[2] >= c[0] && System.currentTimeMillis() - quietSince > 1500) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        }

        void finish() throws IOException {
            Map<String, String> tsv = new LinkedHashMap<>();
            tsv.put("event", name);
            tsv.put("requests", Long.toString(requests.get()));
            tsv.put("writes", Long.toString(writes));
            tsv.put("checked_reads", Long.toString(checkedReads));
            tsv.put("stale", Integer.toString(staleReads.size()));
            tsv.put("failures", Long.toString(failures.get()));
            facts.put("second warming reads that were hits", warmSecondHits + " of " + warmSecondReads);
            facts.put("compared reads that were hits", checkedHits + " of " + checkedReads);
            StringBuilder details = new StringBuilder();
            facts.forEach((k, v) -> details.append(details.length() > 0 ? "; " : "").append(k).append(": ").append(v));
            tsv.put("details", details.toString());
            StringBuilder text = new StringBuilder();
            tsv.forEach((k, v) -> text.append(k).append('\t').append(v.replace('\t', ' ').replace('\n', ' ')).append('\n'));
            for (String s : staleReads.subList(0, Math.min(20, staleReads.size()))) {
                text.append("stale_read\t").append(s).append('\n');
            }
            for (String f : failureNotes.subList(0, Math.min(20, failureNotes.size()))) {
                text.append("failure\t").append(f.replace('\n', ' ')).append('\n');
            }
            Files.writeString(out, text.toString());
            System.out.print(text);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
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
