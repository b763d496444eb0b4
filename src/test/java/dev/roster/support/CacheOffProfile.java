package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The cache's master switch off. */
public class CacheOffProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("roster.cache.enabled", "false");
    }
}
