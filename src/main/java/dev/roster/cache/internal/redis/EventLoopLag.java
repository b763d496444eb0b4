package dev.roster.cache.internal.redis;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A heartbeat on every event loop, so that a Redis timeout can tell "Redis is silent" from "this process is
 * stalled" (event loops saturated, a GC pause, CPU starvation): only the first is Redis's fault.
 */
@ApplicationScoped
public class EventLoopLag {

    private static final long BEAT_MILLIS = 10;
    /** A heartbeat this late means the loop was stalled (not merely busy with a few short tasks). */
    private static final long STALL_MILLIS = 50;

    private final Vertx vertx;
    private volatile AtomicLongArray lastBeat = new AtomicLongArray(0);
    /** Per loop: when its latest heartbeat that ran more than {@link #STALL_MILLIS} late ran. */
    private volatile AtomicLongArray lastStall = new AtomicLongArray(0);

    EventLoopLag(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        List<EventExecutor> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loops::add);
        AtomicLongArray times = new AtomicLongArray(loops.size());
        AtomicLongArray stalls = new AtomicLongArray(loops.size());
        long start = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            times.set(i, start);
            stalls.set(i, start);
            loops.get(i)
                    .scheduleAtFixedRate(
                            () -> beat(times, stalls, index), BEAT_MILLIS, BEAT_MILLIS, TimeUnit.MILLISECONDS);
        }
        lastStall = stalls;
        lastBeat = times;
    }

    private static void beat(AtomicLongArray times, AtomicLongArray stalls, int index) {
        long now = System.nanoTime();
        if (now - times.getAndSet(index, now) > TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS + STALL_MILLIS)) {
            stalls.set(index, now);
        }
    }

    /**
     * An event loop to run command timeouts on: Netty's per-loop timers take no lock, unlike a shared
     * scheduled thread pool that every Redis command of every request would otherwise contend on.
     */
    ScheduledExecutorService timers() {
        return vertx.nettyEventLoopGroup().next();
    }

    /** Whether some event loop has not run its heartbeat for longer than {@code nanos}. */
    boolean stalledLongerThan(long nanos) {
        AtomicLongArray times = lastBeat;
        long now = System.nanoTime();
        for (int i = 0; i < times.length(); i++) {
            if (now - times.get(i) > nanos) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether some event loop is stalled longer than {@code nanos} now, or came out of a stall after
     * {@code since}: a command that waited across a stall of this process is not evidence against Redis.
     */
    boolean stalledSince(long since, long nanos) {
        if (stalledLongerThan(nanos)) {
            return true;
        }
        AtomicLongArray stalls = lastStall;
        for (int i = 0; i < stalls.length(); i++) {
            if (stalls.get(i) - since > 0) {
                return true;
            }
        }
        return false;
    }
}
