package dev.roster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.PackagedApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged application carries no embedded test servers: they serve dev mode and the tests, and a production
 * artifact has no use for 12 MB of {@code redis-server} binaries for six platforms or an in-memory database.
 *
 * <p>For the fast-jar the libraries are {@code target/quarkus-app/lib/main}; for a native executable they are
 * the jars the image was built from ({@code target/*-native-image-source-jar/lib}), since an executable has
 * no jars to list and everything it links comes from there.
 */
class PackagedArtifactIT {

    private static final List<String> TEST_SERVERS = List.of("embedded-redis", "mongo-java-server");

    @Test
    void shouldPackageNoEmbeddedServer() throws IOException {
        Path libraries = PackagedApp.isNative() ? nativeInputs() : Path.of("target", "quarkus-app", "lib", "main");
        assertTrue(Files.isDirectory(libraries), "the packaged app is built before the ITs run: " + libraries);
        try (Stream<Path> jars = Files.list(libraries)) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.contains("quarkus-core")), "not a Quarkus app: " + names);
            List<String> servers = names.stream()
                    .filter(n -> TEST_SERVERS.stream().anyMatch(n::contains))
                    .toList();
            assertEquals(List.of(), servers, "embedded servers in the production artifact (" + libraries + ")");
        }
    }

    private static Path nativeInputs() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("target"))) {
            return entries.filter(p -> p.getFileName().toString().endsWith("-native-image-source-jar"))
                    .findFirst()
                    .map(p -> p.resolve("lib"))
                    .orElse(Path.of("target", "native-image-source-jar-missing"));
        }
    }
}
