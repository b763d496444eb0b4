package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Every hit audited. */
public class AuditProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("roster.cache.audit-rate", "1.0");
    }
}
