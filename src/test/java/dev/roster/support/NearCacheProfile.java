package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The near cache (L1) switched on. */
public class NearCacheProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("roster.cache.near.enabled", "true");
    }
}
