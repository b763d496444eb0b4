package dev.roster.cache.internal.entry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The validity rules of stamps: a key Redis lost never validates an entry. */
class StampTest {

    private static Stamp stamp(long epoch, long... generations) {
        return new Stamp(epoch, generations);
    }

    @Test
    void shouldMatchOnlyTheSameCompleteStamp() {
        assertTrue(stamp(7, 11, 13).matches(stamp(7, 11, 13)));
        assertFalse(stamp(7, 11, 13).matches(stamp(7, 12, 13)));
        assertFalse(stamp(8, 11, 13).matches(stamp(7, 11, 13)));
    }

    @Test
    void shouldMatchNothingWhenAGenerationOrTheEpochIsAbsent() {
        assertFalse(stamp(7, Stamp.ABSENT).matches(stamp(7, Stamp.ABSENT)));
        assertFalse(stamp(Stamp.ABSENT, 11).matches(stamp(Stamp.ABSENT, 11)));
        assertFalse(stamp(7, 11).matches(stamp(7, Stamp.ABSENT)));
    }

    @Test
    void shouldBeContinuedByAStampThatOnlyCreatedAbsentKeys() {
        assertTrue(stamp(Stamp.ABSENT, Stamp.ABSENT).continuedBy(stamp(5, 9)));
        assertTrue(stamp(5, Stamp.ABSENT).continuedBy(stamp(5, 9)));
        assertFalse(stamp(5, 9).continuedBy(stamp(5, 10)), "a bump is a change");
        assertFalse(stamp(5, 9).continuedBy(stamp(6, 9)), "a new epoch is a change");
        assertFalse(stamp(5, 9).continuedBy(stamp(5, Stamp.ABSENT)), "a lost key is a change");
    }

    @RepeatedTest(20)
    void shouldNeverStartAGenerationAtTheAbsentValue() {
        long fresh = Stamp.fresh();
        assertNotEquals(Stamp.ABSENT, fresh);
        assertTrue(fresh > 0 && fresh < Long.MAX_VALUE / 2, "room to be incremented");
    }
}
