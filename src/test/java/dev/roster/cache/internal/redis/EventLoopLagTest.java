package dev.roster.cache.internal.redis;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat that lets a Redis timeout tell a silent Redis from a stalled process: a stall that has already
 * ended still counts for a command that was waiting across it, and not for one sent after it.
 */
@QuarkusTest
class EventLoopLagTest {

    /** Larger than any stall here, so that only a stall that ended can make the answer true. */
    @Inject
    EventLoopLag lag;

    @Inject
    Vertx vertx;

    @Test
    void shouldCountTheTimeALoopCouldNotRun() throws Exception {
        long before = lag.lateNanos();
        CompletableFuture<Void> stalled = new CompletableFuture<>();
        vertx.nettyEventLoopGroup().next().execute(() -> {
            sleepOnPurpose(150);
            stalled.complete(null);
        });
        stalled.get(10, TimeUnit.SECONDS);
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> lag.lateNanos() - before >= TimeUnit.MILLISECONDS.toNanos(100));
    }

    private static void sleepOnPurpose(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
