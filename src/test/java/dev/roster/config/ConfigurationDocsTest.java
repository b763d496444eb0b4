package dev.roster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.health.HealthConfig;
import dev.roster.membership.config.BulkConfig;
import dev.roster.membership.config.ChangeFeedConfig;
import dev.roster.membership.config.ListingConfig;
import dev.roster.membership.config.TeamDeleteConfig;
import dev.roster.membership.config.WriteConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table against the {@code @ConfigMapping} interfaces: every {@code roster.*}
 * setting has a row, every row names a setting that exists, and every leaf setting has a default.
 */
class ConfigurationDocsTest {

    private static final List<Class<?>> MAPPINGS = List.of(
            RosterCacheConfig.class,
            HealthConfig.class,
            ListingConfig.class,
            BulkConfig.class,
            WriteConfig.class,
            TeamDeleteConfig.class,
            ChangeFeedConfig.class);

    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    /** Property names of a mapping: kebab-case method names; groups recursed; maps (per-cache settings) skipped. */
    private static void collect(Class<?> type, String prefix, Set<String> out, List<String> withoutDefault) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() > 0 || m.isDefault() || m.isSynthetic()) {
                continue;
            }
            String name = prefix + "."
                    + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Class<?> result = m.getReturnType();
            if (Map.class.isAssignableFrom(result)) {
                continue;
            }
            if (result.isInterface() && result.getDeclaringClass() == type) {
                collect(result, name, out, withoutDefault);
                continue;
            }
            out.add(name);
            if (!m.isAnnotationPresent(WithDefault.class)
                    && !m.getReturnType().getName().startsWith("java.util.Optional")) {
                withoutDefault.add(name);
            }
        }
    }

    /** The first cell of each README table row that documents a roster setting: its full and short names. */
    private static List<List<String>> rows() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (!line.startsWith("| `roster.")) {
                continue;
            }
            String cell = line.substring(1, line.indexOf('|', 1));
            List<String> names = new ArrayList<>();
            Matcher m = NAME.matcher(cell);
            while (m.find()) {
                names.add(m.group(1));
            }
            rows.add(names);
        }
        return rows;
    }

    private static Set<String> mapped() {
        Set<String> names = new TreeSet<>();
        List<String> withoutDefault = new ArrayList<>();
        for (Class<?> mapping : MAPPINGS) {
            collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), names, withoutDefault);
        }
        assertEquals(List.of(), withoutDefault, "every setting has a default");
        return names;
    }

    @Test
    void shouldDocumentEverySettingInTheReadme() throws IOException {
        List<List<String>> rows = rows();
        List<String> missing = new ArrayList<>();
        for (String name : mapped()) {
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            String group = name.substring(0, name.lastIndexOf('.') + 1);
            boolean documented = rows.stream()
                    .anyMatch(row -> row.contains(name)
                            || (row.get(0).startsWith(group)
                                    && row.stream().anyMatch(n -> name.endsWith("." + n))
                                    && row.stream().anyMatch(n -> n.endsWith(leaf))));
            if (!documented) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "settings without a README row");
    }

    @Test
    void shouldDocumentOnlySettingsThatExist() throws IOException {
        Set<String> mapped = mapped();
        List<String> unknown = new ArrayList<>();
        for (List<String> row : rows()) {
            String first = row.get(0);
            assertTrue(first.startsWith("roster."), String.valueOf(row));
            if (!first.contains("\"") && !mapped.contains(first)) {
                unknown.add(first);
            }
        }
        assertEquals(List.of(), unknown, "README rows naming no setting");
    }
}
