package dev.roster.cache.internal.entry;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The global epoch and the generations of an entry's tags, as observed before its value was computed. An
 * entry is valid only while the current stamp equals the one it was stored with.
 *
 * <p>Every epoch and generation starts at a random 64-bit value and {@link #ABSENT} stands for a key that Redis
 * does not hold: an absent component matches nothing, so a lost key (evicted, expired, flushed) costs misses
 * and never revives an entry, and a key re-created after a loss never repeats a value entries were stamped
 * with.
 */
public record Stamp(long epoch, long[] generations) {

    /** A component whose key Redis does not hold. */
    public static final long ABSENT = 0L;

    /** A fresh starting value for an epoch or a generation: never {@link #ABSENT}, far from overflowing. */
    public static long fresh() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 62);
    }

    /** Whether every component exists in Redis (only such a stamp may be stored with an entry). */
    public boolean complete() {
        if (epoch == ABSENT) {
            return false;
        }
        for (long g : generations) {
            if (g == ABSENT) {
                return false;
            }
        }
        return true;
    }

    /** Whether an entry stamped with this stamp is valid under {@code current}. */
    public boolean matches(Stamp current) {
        return complete() && epoch == current.epoch && Arrays.equals(generations, current.generations);
    }

    /**
     * Whether {@code later} is this stamp with nothing changed but absent components created since: then no
     * write happened in between (a write deletes existing keys, it creates none).
     */
    public boolean continuedBy(Stamp later) {
        if (!same(epoch, later.epoch) || generations.length != later.generations.length) {
            return false;
        }
        for (int i = 0; i < generations.length; i++) {
            if (!same(generations[i], later.generations[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(long before, long after) {
        return before == ABSENT || before == after;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stamp s && epoch == s.epoch && Arrays.equals(generations, s.generations);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(epoch) + Arrays.hashCode(generations);
    }

    @Override
    public String toString() {
        return "epoch=" + epoch + " generations=" + Arrays.toString(generations);
    }
}
