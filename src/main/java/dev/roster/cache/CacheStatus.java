package dev.roster.cache;

/**
 * What the cache did for one request, rendered as an RFC 9211 {@code Cache-Status} header value, e.g.
 * {@code roster; hit; ttl=41} or {@code roster; fwd=miss; stored}.
 */
public record CacheStatus(Outcome outcome, long ttlSeconds, boolean stored, String detail) {

    /** The RFC 9211 outcome of a lookup. */
    public enum Outcome {
        HIT,
        MISS,
        STALE,
        BYPASS
    }

    private static final String CACHE_NAME = "roster";

    public static CacheStatus hit(long ttlSeconds) {
        return new CacheStatus(Outcome.HIT, ttlSeconds, false, null);
    }

    /** A hit answered from the in-process near cache, without a Redis round trip. */
    public static CacheStatus nearHit(long ttlSeconds) {
        return new CacheStatus(Outcome.HIT, ttlSeconds, false, "near");
    }

    public static CacheStatus miss(boolean stored) {
        return new CacheStatus(Outcome.MISS, -1, stored, null);
    }

    public static CacheStatus bypass(String detail) {
        return new CacheStatus(Outcome.BYPASS, -1, false, detail);
    }

    public static CacheStatus stale(long ttlSeconds) {
        return new CacheStatus(Outcome.STALE, ttlSeconds, false, null);
    }

    public String toHeader() {
        StringBuilder header = new StringBuilder(CACHE_NAME);
        switch (outcome) {
            case HIT -> header.append("; hit");
            case MISS -> header.append("; fwd=miss");
            case STALE -> header.append("; fwd=stale");
            case BYPASS -> header.append("; fwd=bypass");
        }
        if (ttlSeconds >= 0 && outcome != Outcome.MISS) {
            header.append("; ttl=").append(ttlSeconds);
        }
        if (stored) {
            header.append("; stored");
        }
        if (detail != null) {
            header.append("; detail=").append(detail);
        }
        return header.toString();
    }
}
