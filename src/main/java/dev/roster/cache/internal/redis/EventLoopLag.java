package dev.roster.cache.internal.redis;

import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A heartbeat on every event loop, so that a Redis timeout can tell "Redis is silent" from "this process could
 * not run" (event loops saturated, a GC pause, CPU starvation): only the first is Redis's fault, and a
 * timeout is measured in the time this process could run.
 */
@Singleton
public class EventLoopLag {

    private static final long BEAT_MILLIS = 10;

    private final Vertx vertx;
    /** Summed over all loops: how late their heartbeats ran, i.e. how long they could not run anything. */
    private final AtomicLong lateNanos = new AtomicLong();
    /** The event loops, to find the caller's own. */
    private volatile List<EventExecutor> loops = List.of();

    EventLoopLag(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        List<EventExecutor> loops = new ArrayList<>();
        vertx.nettyEventLoopGroup().forEach(loops::add);
        this.loops = List.copyOf(loops);
        AtomicLongArray times = new AtomicLongArray(loops.size());
        long start = System.nanoTime();
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            times.set(i, start);
            loops.get(i).scheduleAtFixedRate(() -> beat(times, index), BEAT_MILLIS, BEAT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void beat(AtomicLongArray times, int index) {
        long now = System.nanoTime();
        long beyond = now - times.getAndSet(index, now) - TimeUnit.MILLISECONDS.toNanos(BEAT_MILLIS);
        if (beyond > 0) {
            lateNanos.addAndGet(beyond);
        }
    }

    /**
     * An event loop to run command timeouts on: the caller's own when it runs on one (scheduling and cancelling
     * a timer there is a local queue operation, and the reply that cancels it arrives on that loop too), else the
     * next. Netty's per-loop timers take no lock, unlike a shared scheduled thread pool that every Redis command of
     * every request would otherwise contend on.
     */
    ScheduledExecutorService timers() {
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                return loop;
            }
        }
        return vertx.nettyEventLoopGroup().next();
    }

    /**
     * A running total of how long the event loops could not run anything (heartbeat lateness, summed over the
     * loops); the difference of two readings is how much of the time between them this process was stalled.
     */
    long lateNanos() {
        return lateNanos.get();
    }
}
