/**
 * The one implementation of the store seam: every Redis key ({@link dev.roster.cache.internal.redis.RedisKeys}),
 * command, script ({@link dev.roster.cache.internal.redis.Script}) and reply offset; connections, deadlines and the
 * circuit ({@link dev.roster.cache.internal.redis.RedisStore}); chunked bodies; leases; the lineage check; and
 * server-assisted invalidation for the near cache ({@link dev.roster.cache.internal.redis.RedisTracking}). Depends on
 * {@code entry} and {@code plan} only.
 */
package dev.roster.cache.internal.redis;
