package dev.roster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged application carries no embedded test servers: they serve dev mode and the tests, and a production
 * artifact has no use for 12 MB of {@code redis-server} binaries for six platforms or an in-memory database.
 */
class PackagedArtifactIT {

    private static final List<String> TEST_SERVERS = List.of("embedded-redis", "mongo-java-server");

    @Test
    void shouldPackageNoEmbeddedServer() throws IOException {
        Path libraries = Path.of("target", "quarkus-app", "lib", "main");
        assertTrue(Files.isDirectory(libraries), "the packaged app is built before the ITs run: " + libraries);
        try (Stream<Path> jars = Files.list(libraries)) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.contains("quarkus-core")), "not a Quarkus app: " + names);
            List<String> servers = names.stream()
                    .filter(n -> TEST_SERVERS.stream().anyMatch(n::contains))
                    .toList();
            assertEquals(List.of(), servers, "embedded servers in the production artifact");
        }
    }
}
