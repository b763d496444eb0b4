package dev.roster.cache.internal.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.internal.plan.Hashing;
import jakarta.inject.Singleton;

/**
 * Names of the cache's Redis keys. User data never appears in a key: only digests of it. Hash tags
 * ({@code {...}}) keep an entry and its chunks in one Redis Cluster slot.
 *
 * <ul>
 *   <li>{@code <prefix>:{epoch}}: the global epoch, deleted after an outage in which evictions may have been lost
 *       or when the change feed evicts everything (the next computation creates it afresh), and set anew by the
 *       lineage check
 *   <li>{@code <prefix>:{epoch}:lineage}: the run id of the Redis server the epoch was set on (same slot)
 *   <li>{@code <prefix>:g:{<tag digest>}}: the generation of a tag
 *   <li>{@code <prefix>:e:<cache>:{<entry id>}}: an entry's head (and inline body)
 *   <li>{@code <prefix>:c:{<entry id>}:<load id>:<n>}: the chunks of one load of a large entry
 *   <li>{@code <prefix>:l:{<entry id>}}: the lease of the instance computing the entry
 *   <li>{@code <prefix>:a:{<change id digest>}}: the tags a write announced for the change feed
 *   <li>{@code <prefix>:{epoch}:feed}: the change feed's position (same slot as the epoch)
 *   <li>{@code <prefix>:w:{<tag digest>}}, {@code <prefix>:w:{epoch}}: never written; a pipelined lookup deletes
 *       one to learn whether Redis accepts writes there (same slot as the generation, or the epoch)
 * </ul>
 */
@Singleton
public class RedisKeys {

    /** How many tags' digests are remembered (a lookup names its tags' generations on every hit). */
    private static final int RECENT_TAGS = 10_000;

    private final String prefix;
    private final String epoch;
    private final Cache<Tag, String> tagDigests =
            Caffeine.newBuilder().maximumSize(RECENT_TAGS).build();
    private final Cache<Tag, String> generations =
            Caffeine.newBuilder().maximumSize(RECENT_TAGS).build();

    public RedisKeys(RosterCacheConfig config) {
        this.prefix = config.keyPrefix();
        this.epoch = prefix + ":{epoch}";
    }

    private String digest(Tag tag) {
        return tagDigests.get(tag, t -> Hashing.digest(t.kind(), t.value()));
    }

    /** The same string every time: it is looked up in maps on every near hit, and keeps its hash. */
    public String epoch() {
        return epoch;
    }

    public String lineage() {
        return prefix + ":{epoch}:lineage";
    }

    public String feedPosition() {
        return prefix + ":{epoch}:feed";
    }

    public String announcement(String changeId) {
        return prefix + ":a:{" + Hashing.digest("change", changeId) + "}";
    }

    /** The same string for a recent tag every time (see {@link #epoch()}). */
    public String generation(Tag tag) {
        return generations.get(tag, t -> generationPrefix() + "{" + digest(t) + "}");
    }

    /**
     * A key nothing ever writes, in the slot of {@code tag}'s generation: deleting it succeeds exactly where
     * deleting the generation (an eviction) would.
     */
    public String writeProbe(Tag tag) {
        return prefix + ":w:{" + digest(tag) + "}";
    }

    /** A key nothing ever writes, in the epoch's slot (see {@link #writeProbe(Tag)}). */
    public String epochWriteProbe() {
        return prefix + ":w:{epoch}";
    }

    public String generationPrefix() {
        return prefix + ":g:";
    }

    public String entry(String cache, String id) {
        return prefix + ":e:" + cache + ":{" + id + "}";
    }

    public String lease(String id) {
        return prefix + ":l:{" + id + "}";
    }

    public String chunk(String id, String loadId, int index) {
        return prefix + ":c:{" + id + "}:" + loadId + ":" + index;
    }
}
