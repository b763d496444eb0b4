package dev.roster.cache.internal;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where plain (blocking) cached methods are computed: never on an event loop (a lookup's continuation runs
 * on the Redis client's loop), and not on the worker pool either, whose threads may all be callers waiting
 * for these very loads; a pool of its own always makes progress.
 */
@Singleton
public class BlockingLoads {

    private static final int THREADS = 8;

    private final AtomicInteger count = new AtomicInteger();
    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
        Thread thread = new Thread(task, "roster-cache-blocking-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    ExecutorService executor() {
        return executor;
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }
}
