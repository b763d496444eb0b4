package dev.roster.support;

import de.bwaldvogel.mongo.MongoServer;
import dev.roster.config.EmbeddedServers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import redis.embedded.RedisServer;

/**
 * Several instances of the packaged application sharing one MongoDB wire-protocol server and one Redis, as a
 * fleet would; started as separate processes from what the last package built ({@link PackagedApp}: the
 * fast-jar, or the native executable after {@code -Dnative}).
 *
 * <p>For fault tests, the instances can reach MongoDB through a {@link TcpProxy} ({@link Options#mongoBehindProxy})
 * and the Redis can be frozen, killed and started again from its snapshot ({@link #redis()}).
 *
 * <p>On servers the user named ({@link NamedServers}) the fleet starts neither server: its instances use a
 * database and a key prefix of the fleet's own there, and its Redis cannot be controlled.
 */
public final class Fleet implements AutoCloseable {

    /**
     * One running instance.
     *
     * @param jvmArgs its own {@code -D} arguments, after the fleet's (given twice: the last one wins); a native
     *     executable takes them as the JVM does
     */
    public record Instance(Process process, int httpPort, int managementPort, String name, List<String> jvmArgs) {
        public URI uri(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + path);
        }

        public URI management(String path) {
            return URI.create("http://127.0.0.1:" + managementPort + path);
        }
    }

    /**
     * How the fleet is set up.
     *
     * @param mongoBehindProxy the instances reach MongoDB through {@link #mongoProxy()}
     * @param jvmArgs extra {@code -D} arguments of every instance (e.g. {@code -Droster.bulk.batch-size=10}), JVM
     *     or native
     */
    public record Options(boolean mongoBehindProxy, List<String> jvmArgs) {
        public static Options defaults() {
            return new Options(false, List.of());
        }

        public Options withMongoBehindProxy() {
            return new Options(true, jvmArgs);
        }

        public Options withJvmArgs(String... args) {
            List<String> all = new ArrayList<>(jvmArgs);
            all.addAll(List.of(args));
            return new Options(mongoBehindProxy, List.copyOf(all));
        }
    }

    private final Options options;
    /** The fleet's own MongoDB wire-protocol server; null on a named MongoDB. */
    private final MongoServer mongo;

    private final TcpProxy proxy;
    /** The fleet's own Redis; null on a named Redis, which the fleet does not control. */
    private final RedisControl redis;

    private final String directMongoUri;
    private final String mongoUri;
    private final String database;
    private final String redisUri;
    private final RedisNodes redisNodes;
    private final String keyPrefix;
    private final List<String> serverArgs = new ArrayList<>();
    private final List<Instance> instances = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    public Fleet() throws IOException {
        this(Options.defaults());
    }

    /**
     * Starts the fleet's servers, or on servers the user named ({@link NamedServers}) gives the fleet a database
     * and a key prefix of its own there, removed again by {@link #close()}.
     */
    public Fleet(Options options) throws IOException {
        this.options = options;
        String id = Unique.name("fleet");
        String mongoTarget;
        if (NamedServers.mongo().isPresent()) {
            mongo = null;
            directMongoUri = NamedServers.mongo().get();
            database = NamedServers.database(id.replace('-', '_'));
            serverArgs.add("-Dquarkus.mongodb.database=" + database);
            mongoTarget = options.mongoBehindProxy()
                    ? NamedServers.proxyableMongoHost()
                            .orElseThrow(() -> new IllegalStateException(
                                    "a TCP proxy cannot stand in for this MongoDB: " + MONGO_PROXY_NEEDS))
                    : null;
        } else {
            mongo = new MongoServer(EmbeddedServers.memoryBackend());
            int mongoPort = freePort();
            mongo.bind("127.0.0.1", mongoPort);
            directMongoUri = "mongodb://127.0.0.1:" + mongoPort;
            database = "roster";
            mongoTarget = "127.0.0.1:" + mongoPort;
        }
        if (options.mongoBehindProxy()) {
            int colon = mongoTarget.lastIndexOf(':');
            proxy = new TcpProxy(
                    mongoTarget.substring(0, colon),
                    Integer.parseInt(mongoTarget.substring(colon + 1)),
                    TcpProxy.Framing.MONGODB);
            mongoUri = mongo == null ? NamedServers.mongoThrough(proxy.port()) : "mongodb://127.0.0.1:" + proxy.port();
        } else {
            proxy = null;
            mongoUri = directMongoUri;
        }
        if (NamedServers.redis().isPresent()) {
            redis = null;
            redisUri = NamedServers.redis().get();
            redisNodes = NamedServers.redisNodes();
            keyPrefix = NamedServers.keyPrefix(id);
            serverArgs.add("-Dquarkus.redis.client-type=" + NamedServers.redisClientType());
            serverArgs.add("-Droster.cache.key-prefix=" + keyPrefix);
        } else {
            redis = new RedisControl(freePort(), Files.createTempDirectory("fleet-redis"));
            redis.start();
            redisUri = "redis://127.0.0.1:" + redis.port();
            redisNodes = RedisNodes.of(redisUri, "standalone");
            keyPrefix = "roster";
        }
    }

    /** What a TCP proxy in front of a named MongoDB needs from its connection string. */
    public static final String MONGO_PROXY_NEEDS = "a single host, no SRV record, no TLS";

    public Instance start(String name) throws Exception {
        return start(name, List.of());
    }

    /**
     * Starts an instance with JVM arguments of its own, after the fleet's (e.g. another profile, or another
     * connection string built from {@link #mongoUri()}); a restart keeps them.
     */
    public Instance start(String name, List<String> jvmArgs) throws Exception {
        Instance instance = launch(name, freePort(), freePort(), jvmArgs, false);
        instances.add(instance);
        awaitReady(instance);
        return instance;
    }

    /** Stops an instance for good and removes it from the fleet (the fleet's other instances keep running). */
    public void stop(String name) throws InterruptedException {
        for (Instance i : List.copyOf(instances)) {
            if (i.name().equals(name)) {
                i.process().destroy();
                i.process().waitFor();
                instances.remove(i);
            }
        }
    }

    /** The instance of that name as it runs now (a restart replaces the {@link Instance}). */
    public Instance instance(String name) {
        return instances.stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no instance named " + name));
    }

    /**
     * Stops an instance and starts it again on the same ports (so URIs kept by tests stay valid); its log is
     * appended to.
     */
    public Instance restart(Instance old) throws Exception {
        old.process().destroy();
        old.process().waitFor();
        Instance fresh = launch(old.name(), old.httpPort(), old.managementPort(), old.jvmArgs(), true);
        instances.set(instances.indexOf(old), fresh);
        awaitReady(fresh);
        return fresh;
    }

    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    private Instance launch(String name, int http, int management, List<String> ownArgs, boolean append)
            throws IOException {
        List<String> properties = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + http,
                "-Dquarkus.management.port=" + management,
                "-Dquarkus.mongodb.connection-string=" + mongoUri,
                "-Dquarkus.redis.hosts=" + redisUri,
                "-Dmp.jwt.verify.publickey.location="
                        + new File("target/test-classes/test-publicKey.pem").getAbsolutePath()));
        properties.addAll(serverArgs);
        properties.addAll(options.jvmArgs());
        properties.addAll(ownArgs);
        List<String> command = PackagedApp.command(properties);
        File log = new File("target/fleet-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(log) : ProcessBuilder.Redirect.to(log));
        return new Instance(builder.start(), http, management, name, List.copyOf(ownArgs));
    }

    /** The proxy between the instances and MongoDB; only with {@link Options#mongoBehindProxy}. */
    public TcpProxy mongoProxy() {
        if (proxy == null) {
            throw new IllegalStateException("this fleet reaches MongoDB directly");
        }
        return proxy;
    }

    /** MongoDB as the instances reach it (through the proxy with {@link Options#mongoBehindProxy}). */
    public String mongoUri() {
        return mongoUri;
    }

    /** {@link #mongoUri()} with one more connection-string option ({@code name=value}). */
    public String mongoUriWith(String option) {
        return NamedServers.withOption(mongoUri, option);
    }

    /** MongoDB as the test itself reaches it: never through the proxy. */
    public String directMongoUri() {
        return directMongoUri;
    }

    /** The database the instances use. */
    public String database() {
        return database;
    }

    /** The instances' {@code roster.cache.key-prefix}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The fleet's Redis servers, for commands behind the instances' back. */
    public RedisNodes redisNodes() {
        return redisNodes;
    }

    /** True when the fleet runs its own Redis, which {@link #redis()} can freeze, kill and reconfigure. */
    public boolean redisControllable() {
        return redis != null;
    }

    /** The fleet's own Redis; only when {@link #redisControllable()}. */
    public RedisControl redis() {
        if (redis == null) {
            throw new IllegalStateException("the fleet runs on a named Redis, which it does not control");
        }
        return redis;
    }

    /**
     * The one Redis server of a standalone Redis, for a proxy in front of it; empty for a Redis Cluster, whose
     * clients connect to the nodes it names, past any proxy.
     */
    public Optional<RedisNodes.Node> standaloneRedis() {
        return redisNodes.cluster() ? Optional.empty() : Optional.of(redisNodes.seed());
    }

    /** A bearer token for the prod-profile instances, signed with the test-only key. */
    public static String writerToken() {
        return token("roster-writer");
    }

    /** A valid bearer token carrying exactly these groups. */
    public static String token(String... groups) {
        return io.smallrye.jwt.build.Jwt.issuer("https://roster.dev")
                .subject("fleet-test")
                .groups(Set.of(groups))
                .sign("test-privateKey.pem");
    }

    public HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(Instance instance) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!instance.process().isAlive()) {
                throw new IllegalStateException(
                        "instance exited (" + PackagedApp.describe() + "); see target/fleet-*.log");
            }
            try {
                if (get(instance.management("/q/health/ready")).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("instance not ready within 60 s");
    }

    @Override
    public void close() throws IOException {
        for (Instance i : instances) {
            i.process().destroy();
        }
        for (Instance i : instances) {
            try {
                i.process().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (redis != null) {
            redis.stop();
            redis.deleteData();
        } else {
            redisNodes.deleteKeys(keyPrefix + ":*");
        }
        if (proxy != null) {
            proxy.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        } else {
            NamedServers.dropDatabase(database);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The fleet's real redis-server, with a data directory so that it can be started again from the snapshot a
     * {@code SAVE} wrote (as a Redis with persistence restarts); it never saves by itself.
     */
    public static final class RedisControl {

        private final int port;
        private final Path dir;
        private RedisServer server;
        private long pid;
        private boolean frozen;

        RedisControl(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        public int port() {
            return port;
        }

        /** Sends one command on a fresh connection and returns the reply (see {@link Resp}). */
        public Object command(String... args) {
            try {
                return Resp.once(port, args);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public synchronized boolean running() {
            return server != null;
        }

        public synchronized boolean frozen() {
            return frozen;
        }

        /** Starts the server, loading {@code dump.rdb} from the data directory if a SAVE wrote one. */
        public synchronized void start() {
            if (server != null) {
                return;
            }
            try {
                server = RedisServer.newRedisServer()
                        .bind("127.0.0.1")
                        .port(port)
                        .setting("dir " + dir)
                        .setting("dbfilename dump.rdb")
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
                server.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String info = (String) command("INFO", "server");
            pid = Long.parseLong(info.replaceAll("(?s).*process_id:(\\d+).*", "$1"));
            frozen = false;
        }

        /** Freezes the process (SIGSTOP): connections stay open and nothing answers, like a hung Redis. */
        public synchronized void freeze() {
            signal("-STOP");
            frozen = true;
        }

        /** Resumes a frozen server (SIGCONT). */
        public synchronized void thaw() {
            signal("-CONT");
            frozen = false;
        }

        /**
         * Parks every write command ({@code CLIENT PAUSE <ms> WRITE}, what a managed failover sends): reads are
         * answered, a write (and whatever a client pipelined after it) waits until the pause ends.
         */
        public void pauseWrites(Duration howLong) {
            command("CLIENT", "PAUSE", Long.toString(howLong.toMillis()), "WRITE");
        }

        /**
         * Makes this Redis a replica of a primary that does not exist ({@code REPLICAOF} a closed port): a demoted
         * primary that keeps its data, serves reads and refuses writes with {@code READONLY}.
         */
        public void demote() throws IOException {
            command("REPLICAOF", "127.0.0.1", Integer.toString(freePort()));
        }

        /**
         * Makes a background save fail, so that Redis refuses writes with {@code MISCONF}
         * ({@code stop-writes-on-bgsave-error}, on by default, applies only while a save point is set): the data
         * directory is pointed at a directory that is then removed, a save point is set, and {@code BGSAVE}
         * fails to create its file. Returns once Redis reports the failed save.
         */
        public void failSaves() throws IOException {
            Path gone = Files.createTempDirectory("fleet-redis-gone");
            command("CONFIG", "SET", "dir", gone.toString());
            Files.delete(gone);
            command("CONFIG", "SET", "save", "3600 1");
            command("BGSAVE");
            Awaitility.await("BGSAVE into a removed directory fails")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> ((String) command("INFO", "persistence")).contains("rdb_last_bgsave_status:err"));
        }

        /**
         * Undoes {@link #pauseWrites}, {@link #demote} and {@link #failSaves}: unpaused, a primary again, its data
         * directory back and no save point (so a failed save no longer stops writes).
         */
        public void acceptWrites() {
            command("CLIENT", "UNPAUSE");
            command("REPLICAOF", "NO", "ONE");
            command("CONFIG", "SET", "save", "");
            command("CONFIG", "SET", "dir", dir.toString());
        }

        /** Kills the process (SIGKILL: no shutdown save); what the last SAVE wrote stays on disk. */
        public synchronized void kill() {
            if (server == null) {
                return;
            }
            signal("-KILL");
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
            frozen = false;
        }

        /** Stops the server for good (thawing it first: a stopped process would not see SIGTERM). */
        public synchronized void stop() {
            if (server == null) {
                return;
            }
            if (frozen) {
                thaw();
            }
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }

        /** Removes the data directory (and any snapshot in it); only once the server is stopped. */
        synchronized void deleteData() throws IOException {
            if (server != null) {
                throw new IllegalStateException("stop the server first");
            }
            try (var files = Files.walk(dir)) {
                for (Path file :
                        files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }

        private void signal(String signal) {
            try {
                new ProcessBuilder("kill", signal, Long.toString(pid))
                        .inheritIO()
                        .start()
                        .waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
