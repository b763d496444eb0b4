package dev.roster.cache.internal;

import java.util.Arrays;

/**
 * The global epoch and the generations of an entry's tags, as observed before its value was computed. An
 * entry is valid only while the current stamp equals the one it was stored with.
 */
record Stamp(long epoch, long[] generations) {

    boolean matches(Stamp current) {
        return epoch == current.epoch && Arrays.equals(generations, current.generations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stamp s && matches(s);
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
