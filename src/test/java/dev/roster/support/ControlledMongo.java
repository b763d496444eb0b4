package dev.roster.support;

import de.bwaldvogel.mongo.MongoServer;
import dev.roster.config.EmbeddedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

/**
 * A MongoDB wire-protocol server that a test can stop (and start again, empty, on the same port). With the
 * init argument {@code stopped=true} it is not started with the application, so that the application starts
 * without a MongoDB. Its Redis comes from {@link TestServers#onlyRedis()}, under a key prefix of its own.
 *
 * <p>On a named MongoDB ({@link NamedServers}) the application reaches it through a {@link TcpProxy} instead:
 * stopping refuses every connection, and starting again first drops the indexes of this resource's own database
 * ({@link NamedServers#dropIndexes}): a server that came back without them, which is what the tests of an empty
 * restart check (the indexes are re-created); its documents stay. That needs a connection string a proxy can stand in for
 * ({@link NamedServers#proxyableMongoHost()}); otherwise {@link #assumeControllable()} skips the test.
 */
public class ControlledMongo implements QuarkusTestResourceLifecycleManager {

    private static MongoServer server;
    private static int port;
    private static TcpProxy proxy;
    private static String database;
    private boolean startStopped;

    @Override
    public void init(Map<String, String> initArgs) {
        startStopped = Boolean.parseBoolean(initArgs.getOrDefault("stopped", "false"));
    }

    @Override
    public Map<String, String> start() {
        if (NamedServers.mongo().isPresent()) {
            return startProxy();
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!startStopped) {
            startServer();
        }
        return Map.of("quarkus.mongodb.connection-string", "mongodb://127.0.0.1:" + port);
    }

    private synchronized Map<String, String> startProxy() {
        database = NamedServers.database(Unique.name("controlled").replace('-', '_'));
        Optional<String> host = NamedServers.proxyableMongoHost();
        if (host.isEmpty()) {
            return Map.of(
                    "quarkus.mongodb.connection-string",
                    NamedServers.mongo().get(),
                    "quarkus.mongodb.database",
                    database);
        }
        String address = host.get();
        int colon = address.lastIndexOf(':');
        try {
            proxy = new TcpProxy(
                    address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)),
                    TcpProxy.Framing.MONGODB);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (startStopped) {
            proxy.refuse();
        }
        return Map.of(
                "quarkus.mongodb.connection-string",
                NamedServers.mongoThrough(proxy.port()),
                "quarkus.mongodb.database",
                database);
    }

    @Override
    public void stop() {
        stopServer();
        synchronized (ControlledMongo.class) {
            if (proxy != null) {
                proxy.close();
                proxy = null;
                NamedServers.dropDatabase(database);
            }
        }
    }

    /** Skips the calling test when the named MongoDB cannot be stood in for by a proxy. */
    public static void assumeControllable() {
        NamedServers.skipUnless(
                NamedServers.mongo().isEmpty()
                        || NamedServers.proxyableMongoHost().isPresent(),
                "stops MongoDB through a TCP proxy, which needs a single-host connection string without SRV or TLS");
    }

    public static synchronized void startServer() {
        if (NamedServers.mongo().isPresent()) {
            if (proxy != null) {
                NamedServers.dropIndexes(database);
                proxy.pass();
            }
            return;
        }
        server = new MongoServer(EmbeddedServers.memoryBackend());
        server.bind("127.0.0.1", port);
    }

    public static synchronized void stopServer() {
        if (proxy != null) {
            proxy.refuse();
        }
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }
}
