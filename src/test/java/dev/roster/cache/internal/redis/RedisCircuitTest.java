package dev.roster.cache.internal.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's rules on a hand-driven clock: every state but CLOSED ends by itself. */
class RedisCircuitTest {

    private static final long OPEN = 1_000;
    private static final long PROBE = 500;
    private static final RuntimeException DOWN = new IllegalStateException("down");

    private final AtomicLong now = new AtomicLong(10_000);
    private final AtomicInteger opened = new AtomicInteger();
    private final RedisCircuit circuit = new RedisCircuit(3, OPEN, PROBE, opened::incrementAndGet, now::get);

    private void open() {
        for (int i = 0; i < 3; i++) {
            assertTrue(circuit.allow());
            circuit.failure(DOWN);
        }
        assertEquals(RedisCircuit.State.OPEN, circuit.state());
    }

    @Test
    void shouldOpenOnceAfterTheThresholdAndSkipRedisUntilTheOpenPeriodEnds() {
        open();
        assertEquals(1, opened.get());
        assertFalse(circuit.allow());
        now.addAndGet(OPEN - 1);
        assertFalse(circuit.allow());
    }

    @Test
    void shouldLetExactlyOneCallerProbeWhenTheOpenPeriodEnded() {
        open();
        now.addAndGet(OPEN);
        assertTrue(circuit.allow());
        assertFalse(circuit.allow());
        assertEquals(RedisCircuit.State.PROBING, circuit.state());
        circuit.success();
        assertEquals(RedisCircuit.State.CLOSED, circuit.state());
        assertTrue(circuit.allow());
    }

    @Test
    void shouldLetTheNextCallerProbeWhenTheProbeWasCancelled() {
        open();
        now.addAndGet(OPEN);
        assertTrue(circuit.allow());
        circuit.abandoned();
        assertTrue(circuit.allow(), "a cancelled probe must not keep the circuit from closing");
        circuit.success();
        assertEquals(RedisCircuit.State.CLOSED, circuit.state());
    }

    @Test
    void shouldLetTheNextCallerProbeWhenTheProbeNeverReported() {
        open();
        now.addAndGet(OPEN);
        assertTrue(circuit.allow());
        now.addAndGet(PROBE - 1);
        assertFalse(circuit.allow());
        now.addAndGet(1);
        assertTrue(circuit.allow(), "a silent probe gives way after its deadline");
        circuit.success();
        assertEquals(RedisCircuit.State.CLOSED, circuit.state());
    }

    @Test
    void shouldOpenForAnotherPeriodWhenTheProbeFails() {
        open();
        now.addAndGet(OPEN);
        assertTrue(circuit.allow());
        circuit.failure(DOWN);
        assertEquals(RedisCircuit.State.OPEN, circuit.state());
        assertFalse(circuit.allow());
        now.addAndGet(OPEN);
        assertTrue(circuit.allow());
        assertEquals(1, opened.get(), "a failed probe is the same outage");
    }

    @Test
    void shouldStayClosedWhenACallIsCancelledWhileClosed() {
        circuit.abandoned();
        assertEquals(RedisCircuit.State.CLOSED, circuit.state());
        assertTrue(circuit.allow());
    }
}
