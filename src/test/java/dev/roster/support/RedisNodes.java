package dev.roster.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The Redis servers behind a {@code quarkus.redis.hosts} value, reached with plain {@link Resp} connections: the
 * one server of a standalone Redis, or every primary of a Redis Cluster. Commands that see only the keys of the
 * server they reach ({@code SCAN}, {@code INFO}) go to each primary here, because a cluster client sends them to
 * whichever node it likes.
 *
 * <p>Plain {@code redis://[[user]:password@]host[:port][/db]} URLs only: the test harness speaks no TLS.
 */
public final class RedisNodes {

    /** One server, with the credentials and database of the URL that named it. */
    public record Node(String host, int port, String userInfo, int db) {

        static Node parse(String url) {
            URI uri = URI.create(url.trim());
            if (!"redis".equals(uri.getScheme())) {
                throw new IllegalArgumentException(
                        "the test harness reaches Redis over plain redis:// only, not " + uri.getScheme() + "://");
            }
            String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
            return new Node(
                    uri.getHost(),
                    uri.getPort() < 0 ? 6379 : uri.getPort(),
                    uri.getRawUserInfo(),
                    path.isEmpty() ? 0 : Integer.parseInt(path));
        }

        /** The same credentials and database on another address (a cluster's node, a proxy). */
        public Node at(String otherHost, int otherPort) {
            return new Node(otherHost, otherPort, userInfo, db);
        }

        /** As {@code quarkus.redis.hosts} takes it. */
        public String uri() {
            return "redis://" + (userInfo == null ? "" : userInfo + "@") + host + ":" + port
                    + (db == 0 ? "" : "/" + db);
        }

        /** A connection, authenticated and on the URL's database. */
        public Resp open(int readTimeoutMillis) throws IOException {
            Resp resp = new Resp(host, port, readTimeoutMillis);
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                String user = colon < 0 ? "" : userInfo.substring(0, colon);
                String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
                resp.call(user.isEmpty() ? new String[] {"AUTH", password} : new String[] {"AUTH", user, password});
            }
            if (db != 0) {
                resp.call("SELECT", Integer.toString(db));
            }
            return resp;
        }
    }

    private static final int TIMEOUT_MILLIS = 10_000;

    private final List<Node> seeds;
    private final boolean cluster;

    private RedisNodes(List<Node> seeds, boolean cluster) {
        this.seeds = seeds;
        this.cluster = cluster;
    }

    /** The servers of a {@code quarkus.redis.hosts} value and {@code quarkus.redis.client-type}. */
    public static RedisNodes of(String hosts, String clientType) {
        List<Node> seeds = Arrays.stream(hosts.split(","))
                .filter(h -> !h.isBlank())
                .map(Node::parse)
                .toList();
        return new RedisNodes(seeds, "cluster".equalsIgnoreCase(clientType));
    }

    /** The servers the application under test is configured with (inside a {@code @QuarkusTest}). */
    public static RedisNodes fromConfig() {
        var config = ConfigProvider.getConfig();
        return of(
                config.getValue("quarkus.redis.hosts", String.class),
                config.getOptionalValue("quarkus.redis.client-type", String.class)
                        .orElse("standalone"));
    }

    public boolean cluster() {
        return cluster;
    }

    /** The first server named. */
    public Node seed() {
        return seeds.get(0);
    }

    /** The servers that hold keys: the standalone server, or each primary the cluster reports. */
    public List<Node> primaries() {
        if (!cluster) {
            return List.of(seed());
        }
        String nodes = (String) call(seed(), "CLUSTER", "NODES");
        List<Node> primaries = new ArrayList<>();
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
                String address = fields[1].split("[@,]")[0];
                int colon = address.lastIndexOf(':');
                String host = address.substring(0, colon);
                primaries.add(seed().at(
                                host.isEmpty() ? seed().host() : host, Integer.parseInt(address.substring(colon + 1))));
            }
        }
        return primaries;
    }

    /** Every key matching a {@code SCAN} pattern, on every primary. */
    public List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        for (Node node : primaries()) {
            try (Resp resp = node.open(TIMEOUT_MILLIS)) {
                scan(resp, pattern, keys);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /** Deletes every key matching a {@code SCAN} pattern on every primary, one key at a time (no cross-slot DEL). */
    public long deleteKeys(String pattern) {
        long deleted = 0;
        for (Node node : primaries()) {
            try (Resp resp = node.open(TIMEOUT_MILLIS)) {
                List<String> keys = new ArrayList<>();
                scan(resp, pattern, keys);
                for (String key : keys) {
                    deleted += (Long) resp.call("DEL", key);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return deleted;
    }

    /** One command on a fresh connection to this server. */
    public static Object call(Node node, String... command) {
        try (Resp resp = node.open(TIMEOUT_MILLIS)) {
            return resp.call(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void scan(Resp resp, String pattern, List<String> into) throws IOException {
        String cursor = "0";
        do {
            List<Object> page = (List<Object>) resp.call("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = (String) page.get(0);
            for (Object key : (List<Object>) page.get(1)) {
                into.add((String) key);
            }
        } while (!"0".equals(cursor));
    }
}
