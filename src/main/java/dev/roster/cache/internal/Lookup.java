package dev.roster.cache.internal;

import dev.roster.cache.Tag;
import java.util.List;

/** One request's view of one entry: which method, which entry, which tags, with which settings. */
record Lookup(MethodPlan plan, String id, String key, List<Tag> tags, Settings settings) {

    /** Effective settings of one method. */
    record Settings(boolean enabled, java.time.Duration ttl, java.time.Duration emptyTtl) {}

    String cache() {
        return plan.cache;
    }

    /** Short form of the key for log lines, so that one request can be followed. */
    String trace() {
        return plan.cache + ":" + id.substring(0, Math.min(8, id.length()));
    }
}
