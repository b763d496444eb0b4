package dev.roster.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * A real redis-server that a test can stop and start again on the same port and data directory (so a
 * {@code SAVE} before stopping brings the old entries back, as a Redis with persistence would).
 */
public class ControlledRedis implements QuarkusTestResourceLifecycleManager {

    private static RedisServer server;
    private static int port;
    private static Path dir;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
            dir = Files.createTempDirectory("controlled-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startServer();
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        stopServer();
    }

    public static synchronized void startServer() {
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
    }

    /** Freezes the server process (SIGSTOP): connections stay open but nothing answers, like a hung Redis. */
    public static void freeze(long pid) {
        signal("-STOP", pid);
    }

    /** Resumes a frozen server (SIGCONT). */
    public static void thaw(long pid) {
        signal("-CONT", pid);
    }

    private static void signal(String signal, long pid) {
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

    public static synchronized void stopServer() {
        try {
            if (server != null) {
                server.stop();
                server = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
