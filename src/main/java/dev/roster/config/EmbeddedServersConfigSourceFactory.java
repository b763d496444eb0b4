package dev.roster.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies {@code quarkus.mongodb.connection-string} and {@code quarkus.redis.hosts} pointing at embedded
 * servers when they are not configured and the profile is {@code dev} or {@code embedded}.
 *
 * <p>Each URL is checked on its own, so configuring only one of them embeds only the other. The ordinal is
 * below application.properties, so anything configured there, in the environment or with {@code -D} wins.
 * The profile check also holds at build time, so a {@code prod} package never bakes in an embedded port.
 *
 * <p>The servers' libraries are {@code provided} dependencies: on dev mode's and the tests' classpath, absent
 * from a packaged app unless it was built with {@code -Pembedded}. The tests do not come here: their servers
 * come from a test resource that hands the URLs to the application under test, packaged or not.
 */
public class EmbeddedServersConfigSourceFactory implements ConfigSourceFactory {

    static final String MONGO = "quarkus.mongodb.connection-string";
    static final String REDIS = "quarkus.redis.hosts";
    /**
     * Set by the failsafe JVM: it reads the {@code embedded} profile's configuration for the packaged app it tests,
     * whose servers come from the tests' TestServers resource; it must not start servers of its own here.
     */
    static final String SKIP = "roster.embedded.skip";

    private static final Set<String> PROFILES = Set.of("dev", "embedded");
    private static final String PROBE_CLASS = "redis.embedded.RedisServer";
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (Boolean.getBoolean(SKIP) || context.getProfiles().stream().noneMatch(PROFILES::contains)) {
            return List.of();
        }
        boolean mongoMissing = isMissing(context, MONGO);
        boolean redisMissing = isMissing(context, REDIS);
        if ((mongoMissing || redisMissing) && !embeddedServersPackaged()) {
            throw new IllegalStateException("This build carries no embedded servers: set " + MONGO + " and " + REDIS
                    + ", or build with ./mvnw package -Pembedded");
        }
        Map<String, String> values = new HashMap<>();
        if (mongoMissing) {
            values.put(MONGO, start("mongoUri"));
        }
        if (redisMissing) {
            values.put(REDIS, start("redisUri"));
        }
        return List.of(new PropertiesConfigSource(values, "roster-embedded-servers", ORDINAL));
    }

    /**
     * Calls {@link EmbeddedServers} by a name built at run time, so that nothing links it statically: a native
     * build (linked at build time, without the servers' libraries) never reaches it.
     */
    private static String start(String method) {
        try {
            String name = EmbeddedServersConfigSourceFactory.class.getPackageName() + ".EmbeddedServers";
            Class<?> servers = Class.forName(name, true, EmbeddedServersConfigSourceFactory.class.getClassLoader());
            return (String) servers.getMethod(method).invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start the embedded servers", e);
        }
    }

    private static boolean embeddedServersPackaged() {
        try {
            Class.forName(PROBE_CLASS, false, EmbeddedServersConfigSourceFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean isMissing(ConfigSourceContext context, String name) {
        var value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }
}
