package dev.roster.support;

import de.bwaldvogel.mongo.MongoServer;
import dev.roster.config.EmbeddedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * A MongoDB wire-protocol server that a test can stop (and start again, empty, on the same port). With the
 * init argument {@code stopped=true} it is not started with the application, so that the application starts
 * without a MongoDB.
 */
public class ControlledMongo implements QuarkusTestResourceLifecycleManager {

    private static MongoServer server;
    private static int port;
    private boolean startStopped;

    @Override
    public void init(Map<String, String> initArgs) {
        startStopped = Boolean.parseBoolean(initArgs.getOrDefault("stopped", "false"));
    }

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!startStopped) {
            startServer();
        }
        // A MongoDB of its own needs a cache of its own: the change feed's position (kept under the key prefix)
        // belongs to one MongoDB, and Redis is shared with the tests that use the common server.
        return Map.of(
                "quarkus.mongodb.connection-string",
                "mongodb://127.0.0.1:" + port,
                "roster.cache.key-prefix",
                "roster-controlled-mongo");
    }

    @Override
    public void stop() {
        stopServer();
    }

    public static synchronized void startServer() {
        server = new MongoServer(EmbeddedServers.memoryBackend());
        server.bind("127.0.0.1", port);
    }

    public static synchronized void stopServer() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }
}
