package dev.roster.cache.internal;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Names of the cache's Redis keys. User data never appears in a key: only digests of it. Hash tags
 * ({@code {...}}) keep an entry and its chunks in one Redis Cluster slot.
 *
 * <ul>
 *   <li>{@code <prefix>:{epoch}}: the global epoch, replaced after an outage in which bumps may have been lost
 *   <li>{@code <prefix>:{epoch}:lineage}: the run id of the Redis server the epoch was set on (same slot)
 *   <li>{@code <prefix>:g:{<tag digest>}}: the generation of a tag
 *   <li>{@code <prefix>:e:<cache>:{<entry id>}}: an entry's head (and inline body)
 *   <li>{@code <prefix>:c:{<entry id>}:<load id>:<n>}: the chunks of one load of a large entry
 *   <li>{@code <prefix>:l:{<entry id>}}: the lease of the instance computing the entry
 * </ul>
 */
@ApplicationScoped
public class RedisKeys {

    private final String prefix;

    RedisKeys(RosterCacheConfig config) {
        this.prefix = config.keyPrefix();
    }

    String epoch() {
        return prefix + ":{epoch}";
    }

    String lineage() {
        return prefix + ":{epoch}:lineage";
    }

    String generation(Tag tag) {
        return generationPrefix() + "{" + Hashing.digest(tag.kind(), tag.value()) + "}";
    }

    String generationPrefix() {
        return prefix + ":g:";
    }

    String entry(String cache, String id) {
        return prefix + ":e:" + cache + ":{" + id + "}";
    }

    String lease(String id) {
        return prefix + ":l:{" + id + "}";
    }

    String chunk(String id, String loadId, int index) {
        return prefix + ":c:{" + id + "}:" + loadId + ":" + index;
    }
}
