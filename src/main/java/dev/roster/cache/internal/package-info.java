/**
 * The caching rules. A hit walks {@link dev.roster.cache.internal.CachedResultInterceptor} (plan and key) → {@link
 * dev.roster.cache.internal.ResultCache} (near cache, one store lookup, the answer in hand) → the store seam {@link
 * dev.roster.cache.internal.entry.EntryStore} → {@link dev.roster.cache.internal.redis.RedisStore} (one round trip)
 * and back; {@link dev.roster.cache.internal.CachedBodyWriter} writes the body. Writes go through {@link
 * dev.roster.cache.internal.Evictions} (tag generations, the owed epoch, announcements for the change feed); {@link
 * dev.roster.cache.internal.Background} refreshes hot entries early and audits. The subpackages never use this one.
 */
package dev.roster.cache.internal;
