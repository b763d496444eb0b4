package dev.roster.cache;

import io.smallrye.mutiny.Uni;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Debugging without guesswork: what the cache holds for one call of a {@link CachedResult} method, and
 * evicting by hand. Used by the management endpoints; nothing here is on a request's path.
 */
public interface CacheInspector {

    /**
     * Key, key hash, tags with their current generations, the epoch, and the entry if any: whether it is
     * still valid and fresh, TTL left, size, chunks, entity tag, when it was loaded and how long that took.
     */
    Uni<Map<String, Object>> explain(Method method, Object... args);

    /** Deletes the entry of one call (the next call recomputes it); emits whether there was one. */
    Uni<Boolean> evict(Method method, Object... args);

    /** Deletes one tag's generation: every entry depending on it becomes invisible. */
    Uni<Void> evictTag(Tag tag);
}
