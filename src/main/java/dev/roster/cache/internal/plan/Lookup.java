package dev.roster.cache.internal.plan;

import dev.roster.cache.Tag;
import java.util.List;

/** One request's view of one entry: which method, which entry, which tags, with which settings. */
public record Lookup(MethodPlan plan, String id, List<Tag> tags, Settings settings) {

    /** Effective settings of one method, resolved from the configuration when its plan is built. */
    public record Settings(boolean enabled, java.time.Duration ttl, java.time.Duration emptyTtl) {}

    public static Lookup of(MethodPlan plan, Settings settings, Object[] args) {
        return new Lookup(plan, plan.entryId(args), plan.tags(args), settings);
    }

    public String cache() {
        return plan.cache;
    }

    /** Short form of the key for log lines, so that one request can be followed. */
    public String trace() {
        return plan.cache + ":" + id.substring(0, Math.min(8, id.length()));
    }
}
