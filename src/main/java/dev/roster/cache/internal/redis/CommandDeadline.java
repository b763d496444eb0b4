package dev.roster.cache.internal.redis;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long one Redis command may wait, and what its outcome tells the circuit breaker. Every command of the
 * cache goes through {@link #bound}.
 */
final class CommandDeadline {

    private static final int SLOW_FRACTION = 4;
    private static final long MIN_WAIT_NANOS = 1_000_000;

    private final EventLoopLag lag;
    private final RedisCircuit circuit;
    private final Duration busyTimeout;
    private final AtomicLong latestAnsweredSend = new AtomicLong(System.nanoTime());

    CommandDeadline(EventLoopLag lag, RedisCircuit circuit, Duration busyTimeout) {
        this.lag = lag;
        this.circuit = circuit;
        this.busyTimeout = busyTimeout;
    }

    /**
     * Bounds a command by {@code limit}, telling a dead or frozen Redis from a busy one: a command may wait up to
     * the busy timeout only while Redis answers other commands sent after it (it is slow, not gone). A Redis
     * that answered nothing since the command was sent is cut at {@code limit} of this process's running time:
     * time in which the event loops could not run (a GC pause, CPU starvation, loops saturated: answers may be
     * waiting unread) is added to the wait, up to the busy timeout, but load alone never makes a silent Redis
     * cost more than that.
     */
    <T> Uni<T> bound(Uni<T> command, Duration limit) {
        return Uni.createFrom().deferred(() -> {
            long sentAt = System.nanoTime();
            long lateAtSend = lag.lateNanos();
            Uni<T> shared = command.invoke(() -> answered(sentAt)).memoize().indefinitely();
            return shared.ifNoItem()
                    .after(limit)
                    .on(lag.timers())
                    .recoverWithUni(() -> afterLimit(shared, sentAt, lateAtSend, 0, limit))
                    .onItemOrFailure()
                    .invoke((item, failure) -> {
                        if (failure == null) {
                            circuit.success();
                        } else {
                            circuit.failure(failure);
                        }
                    })
                    .onCancellation()
                    .invoke(circuit::abandoned);
        });
    }

    /**
     * After a command's limit: if Redis answered anything sent since, it is busy, so wait up to the busy timeout;
     * else, if the loops were stalled for part of the wait, wait that much longer (once per stall, up to the busy
     * timeout); else Redis is silent: fail.
     */
    private <T> Uni<T> afterLimit(Uni<T> shared, long sentAt, long lateAtSend, long stallCredited, Duration limit) {
        if (answeredSince(sentAt)) {
            return untilBusyTimeout(shared, sentAt);
        }
        long stalled = lag.lateNanos() - lateAtSend;
        long more = stalled - stallCredited;
        long left = busyTimeout.toNanos() - (System.nanoTime() - sentAt);
        if (more < limit.toNanos() / SLOW_FRACTION || left <= 0) {
            return Uni.createFrom().failure(new RedisTimeoutException(limit));
        }
        return shared.ifNoItem()
                .after(Duration.ofNanos(Math.min(more, left)))
                .on(lag.timers())
                .recoverWithUni(() -> afterLimit(shared, sentAt, lateAtSend, stalled, limit));
    }

    private <T> Uni<T> untilBusyTimeout(Uni<T> shared, long sentAt) {
        long left = busyTimeout.toNanos() - (System.nanoTime() - sentAt);
        return shared.ifNoItem()
                .after(Duration.ofNanos(Math.max(left, MIN_WAIT_NANOS)))
                .on(lag.timers())
                .failWith(() -> new RedisTimeoutException(busyTimeout));
    }

    private void answered(long sentAt) {
        // Read first: most answers are not the latest send, and a contended CAS on every answer costs throughput.
        if (sentAt - latestAnsweredSend.get() > 0) {
            latestAnsweredSend.accumulateAndGet(sentAt, (a, b) -> b - a > 0 ? b : a);
        }
    }

    /**
     * Whether Redis answered a command this process sent after {@code sentAt}: it is working, and this command
     * is only slow. Answers to commands sent earlier prove nothing (they may have left just before a freeze).
     */
    private boolean answeredSince(long sentAt) {
        return latestAnsweredSend.get() - sentAt > 0;
    }

    /** A Redis command that did not answer within the configured timeout. */
    static final class RedisTimeoutException extends RuntimeException {
        RedisTimeoutException(Duration limit) {
            super("no answer within " + limit.toMillis() + " ms", null, false, false);
        }
    }
}
