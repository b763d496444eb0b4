package dev.roster.cache;

/** The state of the cache's connection to Redis, for health checks. */
public interface CacheHealth {

    /** CLOSED (Redis used), OPEN (skipped after failures) or PROBING. */
    String circuit();

    /** Whether Redis is being used right now. */
    boolean available();
}
