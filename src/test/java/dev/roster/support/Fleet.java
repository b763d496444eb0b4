package dev.roster.support;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import redis.embedded.RedisServer;

/**
 * Several instances of the packaged application sharing one MongoDB wire-protocol server and one Redis, as a
 * fleet would; started from {@code target/quarkus-app/quarkus-run.jar} as separate processes.
 */
public final class Fleet implements AutoCloseable {

    /** One running instance. */
    public record Instance(Process process, int httpPort, int managementPort) {
        public URI uri(String path) {
            return URI.create("http://127.0.0.1:" + httpPort + path);
        }

        public URI management(String path) {
            return URI.create("http://127.0.0.1:" + managementPort + path);
        }
    }

    private final MongoServer mongo = new MongoServer(new MemoryBackend());
    private final RedisServer redis;
    private final String mongoUri;
    private final String redisUri;
    private final List<Instance> instances = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    public Fleet() throws IOException {
        int mongoPort = freePort();
        mongo.bind("127.0.0.1", mongoPort);
        mongoUri = "mongodb://127.0.0.1:" + mongoPort;
        int redisPort = freePort();
        redis = RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(redisPort)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
        redisUri = "redis://127.0.0.1:" + redisPort;
    }

    public Instance start(String name) throws Exception {
        int http = freePort();
        int management = freePort();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Dquarkus.http.port=" + http,
                        "-Dquarkus.management.port=" + management,
                        "-Dquarkus.mongodb.connection-string=" + mongoUri,
                        "-Dquarkus.redis.hosts=" + redisUri,
                        "-Dmp.jwt.verify.publickey.location="
                                + new File("target/test-classes/test-publicKey.pem").getAbsolutePath(),
                        "-jar",
                        "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(new File("target/fleet-" + name + ".log"));
        Instance instance = new Instance(builder.start(), http, management);
        instances.add(instance);
        awaitReady(instance);
        return instance;
    }

    /** A bearer token for the prod-profile instances, signed with the test-only key. */
    public static String writerToken() {
        return io.smallrye.jwt.build.Jwt.issuer("https://roster.dev")
                .subject("fleet-test")
                .groups(java.util.Set.of("roster-writer"))
                .sign("test-privateKey.pem");
    }

    public HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(Instance instance) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!instance.process().isAlive()) {
                throw new IllegalStateException("instance exited; see target/fleet-*.log");
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
        redis.stop();
        mongo.shutdownNow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
