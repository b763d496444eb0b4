package dev.roster.cache.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Keeps a dead or frozen Redis from adding its timeout to every request: after a run of failures the circuit
 * opens and Redis is skipped entirely; once the open period has passed, one request probes it. Logs one WARN
 * when Redis goes away and one INFO when it is back, never one per request.
 */
final class RedisCircuit {

    private static final Logger LOG = Logger.getLogger(RedisCircuit.class);

    enum State {
        CLOSED,
        OPEN,
        PROBING
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private final AtomicInteger failures = new AtomicInteger();
    private final int threshold;
    private final long openNanos;
    private final Runnable onOpen;
    private volatile long openUntil;

    RedisCircuit(int threshold, long openNanos, Runnable onOpen) {
        this.threshold = threshold;
        this.openNanos = openNanos;
        this.onOpen = onOpen;
    }

    /** Whether a Redis call may be made now (true for exactly one caller when a probe is due). */
    boolean allow() {
        State current = state.get();
        if (current == State.CLOSED) {
            return true;
        }
        return current == State.OPEN
                && System.nanoTime() - openUntil >= 0
                && state.compareAndSet(State.OPEN, State.PROBING);
    }

    State state() {
        return state.get();
    }

    void success() {
        failures.set(0);
        State previous = state.getAndSet(State.CLOSED);
        if (previous != State.CLOSED) {
            LOG.info("Redis is reachable again: cache lookups resumed");
        }
    }

    void failure(Throwable cause) {
        if (state.get() == State.PROBING) {
            reopen();
            return;
        }
        if (failures.incrementAndGet() >= threshold && state.compareAndSet(State.CLOSED, State.OPEN)) {
            openUntil = System.nanoTime() + openNanos;
            onOpen.run();
            LOG.warnf(
                    "Redis is unavailable (%s): serving from MongoDB without the cache until it returns",
                    describe(cause));
        }
    }

    private void reopen() {
        openUntil = System.nanoTime() + openNanos;
        state.set(State.OPEN);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
