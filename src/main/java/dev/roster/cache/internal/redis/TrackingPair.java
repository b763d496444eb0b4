package dev.roster.cache.internal.redis;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import java.util.concurrent.atomic.AtomicBoolean;

/** The two connections of one tracking set-up; closed together, once. */
final class TrackingPair {
    private final AtomicBoolean closed = new AtomicBoolean();
    volatile RedisConnection subscriber;
    volatile RedisConnection tracker;

    boolean open() {
        return !closed.get();
    }

    /** Closes both connections; true for the first caller only. */
    boolean close() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        if (subscriber != null) {
            subscriber.close().subscribe().with(ignored -> {}, ignored -> {});
        }
        if (tracker != null) {
            // Tracking off first: a connection that goes back to a pool must not keep redirecting.
            RedisConnection t = tracker;
            t.send(Request.cmd(Command.CLIENT).arg("TRACKING").arg("OFF"))
                    .onItemOrFailure()
                    .call(() -> t.close())
                    .subscribe()
                    .with(ignored -> {}, ignored -> {});
        }
        return true;
    }
}
