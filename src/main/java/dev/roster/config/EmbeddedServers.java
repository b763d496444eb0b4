package dev.roster.config;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Properties;
import org.jboss.logging.Logger;
import redis.embedded.RedisServer;

/**
 * Starts an in-process MongoDB wire-protocol server (mongo-java-server) and a real {@code redis-server}
 * (embedded-redis) once per JVM.
 *
 * <p>Used by dev mode (through {@link EmbeddedServersConfigSourceFactory}) and by the tests' test resource, which
 * hands the URLs to the application under test. The config source factory runs in a fresh class loader at every build, start and
 * live reload, so nothing may live in a static field: the running servers are kept in
 * {@link System#getProperties()} under private keys, and that map is also the lock. They are stopped by a
 * JVM shutdown hook, never by a Quarkus shutdown event (which fires on every live reload).
 */
public final class EmbeddedServers {

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);
    private static final String MONGO_KEY = "dev.roster.embedded.mongo-uri";
    private static final String REDIS_KEY = "dev.roster.embedded.redis-uri";
    private static final String LOOPBACK = "127.0.0.1";

    private EmbeddedServers() {}

    public static String mongoUri() {
        Properties holder = System.getProperties();
        synchronized (holder) {
            Object uri = holder.get(MONGO_KEY);
            if (uri == null) {
                MongoServer server = new MongoServer(memoryBackend());
                server.bind(LOOPBACK, freePort());
                InetSocketAddress address = server.getLocalAddress();
                uri = "mongodb://" + LOOPBACK + ":" + address.getPort();
                holder.put(MONGO_KEY, uri);
                Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "embedded-mongo-stop"));
                LOG.infof("Started embedded MongoDB wire-protocol server (mongo-java-server) at %s", uri);
            }
            return uri.toString();
        }
    }

    /**
     * An in-memory backend for mongo-java-server with its oplog on, so that it offers change streams as a replica
     * set does (the change feed follows them).
     */
    public static MemoryBackend memoryBackend() {
        MemoryBackend backend = new MemoryBackend();
        backend.enableOplog();
        return backend;
    }

    public static String redisUri() {
        Properties holder = System.getProperties();
        synchronized (holder) {
            Object uri = holder.get(REDIS_KEY);
            if (uri == null) {
                int port = freePort();
                RedisServer server = startRedis(port);
                uri = "redis://" + LOOPBACK + ":" + port;
                holder.put(REDIS_KEY, uri);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server), "embedded-redis-stop"));
                LOG.infof("Started embedded redis-server at %s", uri);
            }
            return uri.toString();
        }
    }

    private static RedisServer startRedis(int port) {
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .bind(LOOPBACK)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 512mb")
                    .setting("maxmemory-policy noeviction")
                    .build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded redis-server", e);
        }
    }

    private static void stopQuietly(RedisServer server) {
        try {
            server.stop();
        } catch (IOException | RuntimeException e) {
            // the JVM is exiting; nothing left to do
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
