package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Runs the application against a {@link ControlledRedis} that the test stops and starts. */
public class ControlledRedisProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ControlledRedis.class), TestServers.onlyMongo());
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("roster.cache.circuit-open-duration", "300ms");
    }
}
