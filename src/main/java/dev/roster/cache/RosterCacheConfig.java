package dev.roster.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the Redis result cache, under {@code roster.cache}. */
@ConfigMapping(prefix = "roster.cache")
public interface RosterCacheConfig {

    /** Master switch: off means every call computes (Cache-Status {@code fwd=bypass}). */
    @WithDefault("true")
    boolean enabled();

    /** Prefix of every Redis key, so that two deployments can share one Redis without seeing each other. */
    @WithDefault("roster")
    String keyPrefix();

    /** TTL of an entry when neither its cache nor its method says otherwise. */
    @WithDefault("60s")
    Duration defaultTtl();

    /** TTL of empty and absent results (an unknown team, a missing member). */
    @WithDefault("15s")
    Duration emptyTtl();

    /** Random spread applied to every TTL, as a fraction (0.1 = ±10%). */
    @WithDefault("0.1")
    double jitter();

    /**
     * Longest wait for one Redis command, while Redis answers nothing at all, before it counts as a failure
     * (and the request goes to MongoDB). 250 ms rather than 100: on a small shared machine a busy Redis can
     * be descheduled for 100 ms without being down.
     */
    @WithDefault("250ms")
    Duration redisTimeout();

    /**
     * Longest wait for one command while Redis keeps answering others (the process is busy, Redis is not
     * dead): a burst of load then delays hits instead of turning them into misses.
     */
    @WithDefault("1s")
    Duration redisBusyTimeout();

    /** Longest wait for one window of chunks of a large entry. */
    @WithDefault("2s")
    Duration chunkTimeout();

    /** Largest Redis value written; larger results are split into chunks of at most this size. */
    @WithDefault("1048576")
    int maxValueBytes();

    /** Size at which a streamed result is cut into a chunk. */
    @WithDefault("262144")
    int chunkBytes();

    /**
     * Smallest response body (in bytes before compression) stored gzip-compressed; smaller ones are stored as
     * they are. A compressed entry is sent as stored to clients that accept gzip and inflated on the fly for
     * the others. Below this size inflating costs more than the bytes it saves (docs/caching.md has the
     * measurement). Values (results that are not response bodies) are never compressed.
     */
    @WithDefault("16384")
    int gzipMinBytes();

    /** Chunks fetched per round trip when a large entry is streamed out. */
    @WithDefault("4")
    int chunkWindow();

    /**
     * Long-lived connections the cache multiplexes its commands over (pipelining); a handful serves
     * thousands of concurrent requests.
     */
    @WithDefault("4")
    int connections();

    /** Consecutive Redis failures that open the circuit (Redis then skipped entirely). */
    @WithDefault("5")
    int circuitFailureThreshold();

    /** How long the circuit stays open before one probe is let through. */
    @WithDefault("1s")
    Duration circuitOpenDuration();

    /**
     * How long an entry is kept after its TTL, to be served (Cache-Status {@code fwd=stale}) when computing a
     * fresh value fails, e.g. because MongoDB is down. Never served once a write invalidated it.
     */
    @WithDefault("5m")
    Duration staleGrace();

    /**
     * Fraction of an entry's TTL before expiry in which a hit triggers one background recomputation
     * (fleet-wide, under the lease), so that steady traffic on a hot key never sees a miss. 0 disables.
     */
    @WithDefault("0.2")
    double earlyRefresh();

    /**
     * Lifetime of the per-key lease that lets one instance of the fleet compute a cold key while the others
     * wait; a holder that dies blocks nobody longer than this.
     */
    @WithDefault("5s")
    Duration leaseTtl();

    /** Longest wait for another instance's computation before computing here anyway. */
    @WithDefault("6s")
    Duration leaseWait();

    /** First pause between checks while waiting for another instance's computation. */
    @WithDefault("5ms")
    Duration leasePollMin();

    /** Longest pause between checks while waiting for another instance's computation. */
    @WithDefault("100ms")
    Duration leasePollMax();

    /**
     * Fraction of hits recomputed in the background and compared with what was served, to measure real
     * staleness (writes that bypassed the API, a missing eviction). 0 disables.
     */
    @WithDefault("0")
    double auditRate();

    /** The optional in-process near cache (L1). */
    Near near();

    /** Per-cache settings, keyed by cache name. */
    Map<String, CacheSettings> caches();

    /**
     * How long the tags a write announced before it was sent are kept for the change feed, which uses them to
     * evict exactly what that write changed. Longer than any change feed lag; a change seen after its
     * announcement expired is evicted coarsely (every entry), never less.
     */
    @WithDefault("10m")
    Duration announceTtl();

    /** Per-method settings, keyed by {@code SimpleClassName.method}; they win over the cache's. */
    Map<String, CacheSettings> methods();

    /** Near cache settings; its size and TTL are quarkus-cache's ({@code quarkus.cache.caffeine."roster-near".*}). */
    interface Near {

        /** Serve hot entries from memory, kept coherent by Redis client-side tracking. Off by default. */
        @WithDefault("false")
        boolean enabled();

        /** Largest entry kept in memory. */
        @WithDefault("65536")
        int maxEntryBytes();
    }

    /** Settings of one cache or one method. */
    interface CacheSettings {

        /** TTL of entries. */
        Optional<Duration> ttl();

        /** TTL of empty and absent results. */
        Optional<Duration> emptyTtl();

        /** Set false to bypass this cache. */
        Optional<Boolean> enabled();
    }
}
