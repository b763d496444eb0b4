package dev.roster.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The packaged application that the ITs start themselves, chosen as {@code @QuarkusIntegrationTest} chooses it:
 * the kind of artifact the last {@code package} built ({@code target/quarkus-artifact.properties}), so that
 * {@code ./mvnw verify -Dnative} runs the same ITs against the native executable and {@code ./mvnw verify}
 * against the fast-jar. The executable is the one failsafe names in {@code native.image.path} (the pom sets it
 * on every run, so its presence alone says nothing: a jar build leaves an old executable behind).
 *
 * <p>A native Quarkus executable takes {@code -Dkey=value} arguments as the JVM does, so the ITs pass the same
 * arguments either way.
 */
public final class PackagedApp {

    private static final Path ARTIFACT = Path.of("target", "quarkus-artifact.properties");
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private PackagedApp() {}

    /** True when the last package built a native executable. */
    public static boolean isNative() {
        return "native".equals(artifact().getProperty("type"));
    }

    /** What the ITs run: the native executable or {@code quarkus-run.jar}, for messages and skip reasons. */
    public static String describe() {
        return isNative() ? "native executable " + executable() : "fast-jar " + JAR;
    }

    /** The command that starts the packaged application with these {@code -D} arguments. */
    public static List<String> command(List<String> systemProperties) {
        List<String> command = new ArrayList<>();
        if (isNative()) {
            command.add(executable().toString());
            command.addAll(systemProperties);
        } else {
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(systemProperties);
            command.addAll(List.of("-jar", JAR.toString()));
        }
        return command;
    }

    private static Path executable() {
        String configured = System.getProperty("native.image.path");
        Path path = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("target", artifact().getProperty("path", ""));
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("the last package built a native executable, but " + path
                    + " is not there: run ./mvnw verify -Dnative (or package -Dnative) again");
        }
        return path.toAbsolutePath();
    }

    private static Properties artifact() {
        Properties properties = new Properties();
        if (Files.isRegularFile(ARTIFACT)) {
            try (InputStream in = Files.newInputStream(ARTIFACT)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }
}
