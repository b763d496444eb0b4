package dev.roster.cache.internal.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Keeps a dead or frozen Redis from adding its timeout to every request: after a run of failures the circuit
 * opens and Redis is skipped entirely; once the open period has passed, one call probes it. Every state but
 * CLOSED has a deadline: a probe that never reports (its caller went away, it was never sent) gives way to
 * the next one after {@code probeNanos}, so no single call can keep the circuit from closing. Logs one WARN
 * when Redis goes away and one INFO when it is back, never one per request.
 *
 * <p>A hand-written breaker rather than SmallRye Fault Tolerance's: callers ask {@link #allow()} before
 * choosing a path (Redis, or straight to MongoDB) instead of wrapping a call that throws when open, and the
 * opening must notify the cache (an outage means evictions may have been lost).
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
    /** Until when the current state holds: the end of the open period, or the probe's deadline. */
    private final AtomicLong until = new AtomicLong();

    private final int threshold;
    private final long openNanos;
    private final long probeNanos;
    private final Runnable onOpen;
    private final LongSupplier clock;

    RedisCircuit(int threshold, long openNanos, long probeNanos, Runnable onOpen, LongSupplier clock) {
        this.threshold = threshold;
        this.openNanos = openNanos;
        this.probeNanos = probeNanos;
        this.onOpen = onOpen;
        this.clock = clock;
    }

    /**
     * Whether a Redis call may be made now: always while CLOSED; for exactly one caller when the open period
     * (or the previous probe's deadline) has passed, which then is the probe.
     */
    boolean allow() {
        State current = state.get();
        if (current == State.CLOSED) {
            return true;
        }
        long now = clock.getAsLong();
        long deadline = until.get();
        if (now - deadline < 0) {
            return false;
        }
        // One caller wins the deadline; it becomes the probe (from OPEN, or replacing a probe that went silent),
        // unless a success closed the circuit meanwhile, which it must not undo.
        if (!until.compareAndSet(deadline, now + probeNanos)) {
            return false;
        }
        return state.compareAndSet(current, State.PROBING) || state.get() == State.CLOSED;
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
            reopen(openNanos);
            return;
        }
        if (failures.incrementAndGet() >= threshold && state.get() == State.CLOSED) {
            until.set(clock.getAsLong() + openNanos);
            if (state.compareAndSet(State.CLOSED, State.OPEN)) {
                onOpen.run();
                LOG.warnf(
                        "Redis is unavailable (%s): serving from MongoDB without the cache until it returns",
                        describe(cause));
            }
        }
    }

    /** A call that was allowed ended without an answer either way (cancelled): the next caller may probe. */
    void abandoned() {
        if (state.get() == State.PROBING) {
            reopen(0);
        }
    }

    private void reopen(long forNanos) {
        until.set(clock.getAsLong() + forNanos);
        state.set(State.OPEN);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
