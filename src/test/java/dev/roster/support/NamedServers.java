package dev.roster.support;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Servers a user names for the tests instead of the embedded ones: {@code -Droster.test.mongodb=<connection
 * string>}, {@code -Droster.test.redis=<redis URL>[,<redis URL>…]} and, for a Redis Cluster,
 * {@code -Droster.test.redis-client-type=cluster}. Without them every test runs on the embedded servers.
 *
 * <p>A named server is someone else's: every database and key prefix handed out here carries the run's id
 * ({@code roster_test_<run>…}, {@code roster-test-<run>…}), and at the end of the run ({@link
 * NamedServersCleanup}) exactly those databases are dropped and the keys under those prefixes deleted. Tests that
 * must control the server itself (stop it, pause it, reconfigure it) are skipped on a named one, each with its
 * reason ({@link #assumeEmbeddedRedis}).
 *
 * <p>The run's id and database names live in {@link System#getProperties()}: Quarkus loads this class again in
 * each application class loader, and every copy must hand out names of the same run.
 */
public final class NamedServers {

    public static final String MONGO_PROPERTY = "roster.test.mongodb";
    public static final String REDIS_PROPERTY = "roster.test.redis";
    public static final String REDIS_TYPE_PROPERTY = "roster.test.redis-client-type";

    private static final String RUN_KEY = "dev.roster.test.named.run";
    private static final String DATABASES_KEY = "dev.roster.test.named.databases";

    private NamedServers() {}

    /** The MongoDB connection string the user named, if any. */
    public static Optional<String> mongo() {
        return property(MONGO_PROPERTY);
    }

    /** The Redis URLs the user named ({@code quarkus.redis.hosts} syntax), if any. */
    public static Optional<String> redis() {
        return property(REDIS_PROPERTY);
    }

    /** {@code standalone} unless the user named another {@code quarkus.redis.client-type}. */
    public static String redisClientType() {
        return property(REDIS_TYPE_PROPERTY).orElse("standalone");
    }

    /** The named Redis's servers; only with {@link #redis()} set. */
    public static RedisNodes redisNodes() {
        return RedisNodes.of(redis().orElseThrow(), redisClientType());
    }

    /** This run's id, the same in every class loader of the JVM. */
    public static String run() {
        Properties holder = System.getProperties();
        synchronized (holder) {
            return (String) holder.computeIfAbsent(
                    RUN_KEY, k -> UUID.randomUUID().toString().substring(0, 8));
        }
    }

    /** A database of this run on the named MongoDB, dropped when the run ends. */
    public static String database(String suffix) {
        String name = "roster_test_" + run() + (suffix.isEmpty() ? "" : "_" + suffix);
        databases().add(name);
        return name;
    }

    /** A Redis key prefix of this run: every key under it is deleted when the run ends. */
    public static String keyPrefix(String suffix) {
        return runKeyPattern().replace("*", "") + (suffix.isEmpty() ? "" : "-" + suffix);
    }

    /** Matches every key of this run, whatever prefix it was handed out with. */
    static String runKeyPattern() {
        return "roster-test-" + run() + "*";
    }

    @SuppressWarnings("unchecked")
    static Set<String> databases() {
        Properties holder = System.getProperties();
        synchronized (holder) {
            return (Set<String>) holder.computeIfAbsent(DATABASES_KEY, k -> ConcurrentHashMap.newKeySet());
        }
    }

    /** Drops one database of this run from the named MongoDB (never one this run did not hand out). */
    public static void dropDatabase(String name) {
        if (!databases().contains(name)) {
            throw new IllegalArgumentException(name + " is not a database of this run");
        }
        try (MongoClient client = MongoClients.create(mongo().orElseThrow())) {
            client.getDatabase(name).drop();
        }
    }

    /**
     * Drops every index of one database of this run, as a server that restarted without them would look to the
     * application (which must re-create them). The documents stay: deleting them, or dropping the database, would
     * put events without the application's announcements in the change stream, and the application evicts every
     * entry when it reads such an event, long after the test that caused it.
     */
    public static void dropIndexes(String name) {
        if (!databases().contains(name)) {
            throw new IllegalArgumentException(name + " is not a database of this run");
        }
        try (MongoClient client = MongoClients.create(mongo().orElseThrow())) {
            var database = client.getDatabase(name);
            for (String collection : database.listCollectionNames()) {
                database.getCollection(collection).dropIndexes();
            }
        }
    }

    /**
     * The single host:port of the named MongoDB when a TCP proxy can stand in front of it: one host, no SRV
     * record, no TLS (the proxy reads the wire protocol). Empty for a replica set named by several hosts, whose
     * driver would reach the members past the proxy.
     */
    public static Optional<String> proxyableMongoHost() {
        ConnectionString uri = new ConnectionString(mongo().orElseThrow());
        List<String> hosts = uri.getHosts();
        boolean tls = Boolean.TRUE.equals(uri.getSslEnabled());
        if (hosts.size() != 1 || uri.isSrvProtocol() || tls) {
            return Optional.empty();
        }
        return Optional.of(hosts.get(0).contains(":") ? hosts.get(0) : hosts.get(0) + ":27017");
    }

    /**
     * The named connection string, pointed at a proxy on 127.0.0.1 instead of its host, with
     * {@code directConnection=true} so that the driver stays on the proxy rather than discover the server's own
     * address.
     */
    public static String mongoThrough(int proxyPort) {
        String uri = mongo().orElseThrow();
        int hostsStart = uri.indexOf("://") + 3;
        int at = uri.indexOf('@', hostsStart);
        int hostsEnd = firstOf(uri, hostsStart, '/', '?');
        if (at >= 0 && at < hostsEnd) {
            hostsStart = at + 1;
        }
        String pointed = uri.substring(0, hostsStart) + "127.0.0.1:" + proxyPort + uri.substring(hostsEnd);
        return withOption(pointed.replaceAll("([?&])directConnection=[^&]*&?", "$1"), "directConnection=true");
    }

    /** A MongoDB connection string with one more option ({@code name=value}) in its query. */
    public static String withOption(String uri, String option) {
        int hostsStart = uri.indexOf("://") + 3;
        int query = uri.indexOf('?', hostsStart);
        if (query >= 0) {
            boolean bare = query == uri.length() - 1 || uri.endsWith("&");
            return uri + (bare ? "" : "&") + option;
        }
        return uri + (uri.indexOf('/', hostsStart) >= 0 ? "?" : "/?") + option;
    }

    /** Skips the calling test, saying why, when Redis is a named server: the test needs one it controls. */
    public static void assumeEmbeddedRedis(String why) {
        skipUnless(redis().isEmpty(), "needs a Redis of its own: " + why + "; -D" + REDIS_PROPERTY + " names one");
    }

    /** Skips the calling test, saying why (on stdout too, so that a console run shows it), unless it can run. */
    public static void skipUnless(boolean canRun, String why) {
        skipUnless(
                StackWalker.getInstance()
                        .walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                                .map(c -> c.substring(c.lastIndexOf('.') + 1))
                                .filter(c -> c.endsWith("Test") || c.endsWith("IT"))
                                .findFirst()
                                .orElse("a test")),
                canRun,
                why);
    }

    /** Skips {@code test}, saying why (on stdout too, so that a console run shows it), unless it can run. */
    public static void skipUnless(String test, boolean canRun, String why) {
        if (!canRun) {
            System.out.println("[named-servers] skipped " + test + ": " + why);
        }
        Assumptions.assumeTrue(canRun, why);
    }

    /** A URL for logs: any password replaced by {@code ***}. */
    static String redacted(String url) {
        return url.replaceAll("//([^:/@,]*):[^@/]*@", "//$1:***@");
    }

    private static int firstOf(String s, int from, char... stops) {
        int end = s.length();
        for (char stop : stops) {
            int i = s.indexOf(stop, from);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return end;
    }

    private static Optional<String> property(String name) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
