/**
 * The cache's public API: {@link dev.roster.cache.CachedResult} and {@link dev.roster.cache.InvalidatesTags} on service
 * methods, {@link dev.roster.cache.CachedBody} for results kept as response bytes, {@link dev.roster.cache.WriteScope}
 * for writes, {@link dev.roster.cache.CacheStatus} (the {@code Cache-Status} header) and the configuration ({@link
 * dev.roster.cache.RosterCacheConfig}). Nothing here depends on the internals; the service uses nothing else
 * (CacheLayersTest).
 */
package dev.roster.cache;
