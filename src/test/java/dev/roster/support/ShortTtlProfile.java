package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** Short TTLs (no jitter) and a MongoDB the test can stop, for expiry, early refresh and stale-if-error. */
public class ShortTtlProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ControlledMongo.class), TestServers.onlyRedis());
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "roster.cache.caches.member.ttl", "2s",
                "roster.cache.caches.team-listing.ttl", "2s",
                "roster.cache.jitter", "0",
                "roster.cache.early-refresh", "0.5",
                "roster.cache.stale-grace", "60s");
    }
}
