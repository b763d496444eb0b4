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
 * servers when they are not configured and the profile is {@code dev}, {@code test} or {@code embedded}.
 *
 * <p>Each URL is checked on its own, so configuring only one of them embeds only the other. The ordinal is
 * below application.properties, so anything configured there, in the environment or with {@code -D} wins.
 * The profile check also holds at build time, so a {@code prod} package never bakes in an embedded port.
 */
public class EmbeddedServersConfigSourceFactory implements ConfigSourceFactory {

    static final String MONGO = "quarkus.mongodb.connection-string";
    static final String REDIS = "quarkus.redis.hosts";
    /** Set by the failsafe JVM, whose tests talk to a packaged app that starts its own servers. */
    static final String SKIP = "roster.embedded.skip";

    private static final Set<String> PROFILES = Set.of("dev", "test", "embedded");
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (Boolean.getBoolean(SKIP) || context.getProfiles().stream().noneMatch(PROFILES::contains)) {
            return List.of();
        }
        Map<String, String> values = new HashMap<>();
        if (isMissing(context, MONGO)) {
            values.put(MONGO, EmbeddedServers.mongoUri());
        }
        if (isMissing(context, REDIS)) {
            values.put(REDIS, EmbeddedServers.redisUri());
        }
        return List.of(new PropertiesConfigSource(values, "roster-embedded-servers", ORDINAL));
    }

    private static boolean isMissing(ConfigSourceContext context, String name) {
        var value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }
}
