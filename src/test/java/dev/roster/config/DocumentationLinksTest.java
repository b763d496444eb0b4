package dev.roster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every link of the project's documents resolves inside the repository; none leaves it. */
class DocumentationLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("k8s/README.md")));
        for (String dir : List.of("docs", "bench")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
            }
        }
        return docs;
    }

    @Test
    void shouldResolveEveryLinkInsideTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        Path root = Path.of("").toAbsolutePath().normalize();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("#")) {
                    continue;
                }
                if (target.contains("://") || target.startsWith("mailto:")) {
                    broken.add(doc + ": leaves the repository: " + target);
                    continue;
                }
                String file = target.replaceAll("#.*$", "");
                Path resolved = doc.toAbsolutePath().getParent().resolve(file).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(doc + ": " + target);
                }
            }
        }
        assertEquals(List.of(), broken);
    }
}
