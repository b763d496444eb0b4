package dev.roster.support;

import dev.roster.config.EmbeddedServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTestProfile.TestResourceEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The servers every test runs against: a MongoDB wire-protocol server (mongo-java-server) and a real
 * {@code redis-server} (embedded-redis), started once per test JVM and handed to the application under test as
 * {@code quarkus.mongodb.connection-string} and {@code quarkus.redis.hosts}: as configuration to a
 * {@code @QuarkusTest}, as {@code -D} arguments to the packaged app of a {@code @QuarkusIntegrationTest}
 * (which carries no embedded servers of its own).
 *
 * <p>Global: every test gets it, except under a test profile that disables global resources to bring a server
 * it controls ({@link ControlledMongo}, {@link ControlledRedis}); such a profile adds this resource with the init
 * argument {@code only=mongo} or {@code only=redis} for the other one.
 *
 * <p>A server the user named ({@link NamedServers}) replaces the embedded one, with this run's database
 * ({@code quarkus.mongodb.database}) or key prefix ({@code roster.cache.key-prefix}) on it.
 */
@WithTestResource(value = TestServers.class, scope = TestResourceScope.GLOBAL)
public class TestServers implements QuarkusTestResourceLifecycleManager {

    private static final String MONGO = "quarkus.mongodb.connection-string";
    private static final String REDIS = "quarkus.redis.hosts";
    private static final String DATABASE = "quarkus.mongodb.database";
    private static final String CLIENT_TYPE = "quarkus.redis.client-type";
    private static final String KEY_PREFIX = "roster.cache.key-prefix";
    /** The key prefix of a Redis beside a MongoDB of the profile's own ({@link #onlyRedis()}). */
    private static final String OWN_MONGO_SUFFIX = "controlled-mongo";

    private Set<String> only = Set.of("mongo", "redis");

    /** A test profile's entry for only MongoDB, beside the profile's own Redis. */
    public static TestResourceEntry onlyMongo() {
        return new TestResourceEntry(TestServers.class, Map.of("only", "mongo"));
    }

    /**
     * A test profile's entry for only Redis, beside the profile's own MongoDB. A MongoDB of its own needs a cache of
     * its own (the change feed's position, kept under the key prefix, belongs to one MongoDB), so this Redis comes
     * with a key prefix of its own.
     */
    public static TestResourceEntry onlyRedis() {
        return new TestResourceEntry(TestServers.class, Map.of("only", "redis"));
    }

    @Override
    public void init(Map<String, String> initArgs) {
        String value = initArgs.get("only");
        if (value != null) {
            only = Set.of(value);
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        if (only.contains("mongo")) {
            config.putAll(mongo());
        }
        if (only.contains("redis")) {
            config.putAll(redis(only.contains("mongo") ? "" : OWN_MONGO_SUFFIX));
        }
        return config;
    }

    private static Map<String, String> mongo() {
        return NamedServers.mongo()
                .map(uri -> Map.of(MONGO, uri, DATABASE, NamedServers.database("")))
                .orElseGet(() -> Map.of(MONGO, EmbeddedServers.mongoUri()));
    }

    private static Map<String, String> redis(String prefixSuffix) {
        if (NamedServers.redis().isPresent()) {
            return Map.of(
                    REDIS, NamedServers.redis().get(),
                    CLIENT_TYPE, NamedServers.redisClientType(),
                    KEY_PREFIX, NamedServers.keyPrefix(prefixSuffix));
        }
        Map<String, String> config = new HashMap<>(Map.of(REDIS, EmbeddedServers.redisUri()));
        if (!prefixSuffix.isEmpty()) {
            config.put(KEY_PREFIX, "roster-" + prefixSuffix);
        }
        return config;
    }

    @Override
    public void stop() {
        // The servers live as long as the test JVM (a shutdown hook stops them): data survives a restart of the
        // application between test classes, and no test pays for a new server.
    }
}
