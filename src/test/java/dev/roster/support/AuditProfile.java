package dev.roster.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Every hit audited, and the change feed off: the audit is what finds an entry that a change made behind the
 * cache left stale, and with the feed on no such entry survives long enough to be audited.
 */
public class AuditProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("roster.cache.audit-rate", "1.0", "roster.change-feed.enabled", "false");
    }
}
