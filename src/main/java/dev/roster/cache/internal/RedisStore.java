package dev.roster.cache.internal;

import dev.roster.cache.RosterCacheConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every Redis command of the cache goes through here: each one bounded by a short timeout, each outcome fed to
 * the circuit breaker. Commands are multiplexed (pipelined) over a few long-lived connections instead of each
 * borrowing a pooled one: a burst of hundreds of concurrent requests then costs no connection set-up and no
 * pool queueing (measured: with a cold pool, 256 concurrent clients timed out and opened the circuit). No
 * connection is ever held while a value is computed. Pipelines are one {@code batch} on a standalone Redis
 * and parallel sends (one per key's node) on a cluster. A broken connection is dropped and re-made on the
 * next command.
 */
@ApplicationScoped
public class RedisStore {

    private static final Logger LOG = Logger.getLogger(RedisStore.class);
    private static final int LATENCY_SMOOTHING = 8;
    private static final int SLOW_FRACTION = 4;

    private final Redis redis;
    private final EventLoopLag lag;
    private final RedisCircuit circuit;
    private final Duration timeout;
    private final Duration chunkTimeout;
    private final Duration busyTimeout;
    private volatile long lastAnswer = System.nanoTime();
    /** Smoothed latency of answered commands, in nanoseconds. */
    private volatile long latency;

    private final boolean cluster;
    private final AtomicBoolean outageSeen = new AtomicBoolean();
    private final AtomicReferenceArray<Uni<RedisConnection>> connections;
    private final AtomicInteger next = new AtomicInteger();

    RedisStore(
            Redis redis,
            EventLoopLag lag,
            RosterCacheConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.lag = lag;
        this.timeout = config.redisTimeout();
        this.chunkTimeout = config.chunkTimeout();
        this.busyTimeout = config.redisBusyTimeout();
        this.cluster = "cluster".equalsIgnoreCase(clientType);
        this.circuit = new RedisCircuit(
                config.circuitFailureThreshold(), config.circuitOpenDuration().toNanos(), () -> outageSeen.set(true));
        this.connections = new AtomicReferenceArray<>(config.connections());
    }

    /** Opens the shared connections at start-up, so that the first burst of requests pays no connection set-up. */
    void connectAll(@Observes StartupEvent event) {
        for (int i = 0; i < connections.length(); i++) {
            connection()
                    .subscribe()
                    .with(
                            c -> {},
                            e -> LOG.warnf(
                                    "Redis not reachable at start-up (%s); the cache"
                                            + " starts degraded and recovers by itself",
                                    e.getClass().getSimpleName()));
        }
    }

    /** Whether Redis may be used now; false while the circuit is open. */
    boolean available() {
        return circuit.allow();
    }

    RedisCircuit.State circuitState() {
        return circuit.state();
    }

    /** True once after each outage: the caller must settle what may have been missed while Redis was away. */
    boolean takeOutage() {
        return outageSeen.getAndSet(false);
    }

    void markOutage() {
        outageSeen.set(true);
    }

    Uni<Response> send(Request request) {
        return guard(connection().chain(c -> c.send(request)), timeout);
    }

    Uni<List<Response>> batch(List<Request> requests) {
        return batch(requests, timeout);
    }

    /** A pipeline that moves chunks of large entries: same circuit, a longer timeout. */
    Uni<List<Response>> batchForChunks(List<Request> requests) {
        return batch(requests, chunkTimeout);
    }

    private Uni<List<Response>> batch(List<Request> requests, Duration limit) {
        if (!cluster) {
            return guard(connection().chain(c -> c.batch(requests)), limit);
        }
        return guard(
                connection().chain(c -> {
                    List<Uni<Response>> sends = new ArrayList<>(requests.size());
                    for (Request r : requests) {
                        sends.add(c.send(r));
                    }
                    return Uni.join().all(sends).andFailFast();
                }),
                limit);
    }

    /** One of the shared connections, connecting it on first use or after it broke. */
    private Uni<RedisConnection> connection() {
        int slot = Math.floorMod(next.getAndIncrement(), connections.length());
        Uni<RedisConnection> current = connections.get(slot);
        if (current != null) {
            return current;
        }
        AtomicReference<Uni<RedisConnection>> self = new AtomicReference<>();
        Uni<RedisConnection> fresh = redis.connect()
                .invoke(c -> {
                    c.exceptionHandler(e -> drop(slot, self.get(), c));
                    c.endHandler(() -> drop(slot, self.get(), c));
                })
                .onFailure()
                .invoke(e -> connections.compareAndSet(slot, self.get(), null))
                .memoize()
                .indefinitely();
        self.set(fresh);
        return connections.compareAndSet(slot, null, fresh) ? fresh : connection();
    }

    private void drop(int slot, Uni<RedisConnection> which, RedisConnection connection) {
        if (connections.compareAndSet(slot, which, null)) {
            connection.close().subscribe().with(ignored -> {}, ignored -> {});
        }
    }

    /**
     * Bounds a command by {@code limit}, but tells a dead or frozen Redis (no answer to anything since the
     * command was sent, while this process runs normally) from a busy process (answers arriving late, or event
     * loops stalled by load, GC or CPU starvation): in the second case the command may wait up to the busy
     * timeout, so that load alone never turns hits into misses.
     */
    private <T> Uni<T> guard(Uni<T> command, Duration limit) {
        return Uni.createFrom().deferred(() -> {
            long sentAt = System.nanoTime();
            Uni<T> shared = command.invoke(() -> answered(sentAt)).memoize().indefinitely();
            return shared.ifNoItem()
                    .after(limit)
                    .on(lag.timers())
                    .recoverWithUni(() -> alive(sentAt, limit)
                            ? shared.ifNoItem()
                                    .after(busyTimeout)
                                    .on(lag.timers())
                                    .failWith(() -> new RedisTimeoutException(busyTimeout))
                            : Uni.createFrom().failure(new RedisTimeoutException(limit)))
                    .onItemOrFailure()
                    .invoke((item, failure) -> {
                        if (failure == null) {
                            circuit.success();
                        } else {
                            circuit.failure(failure);
                        }
                    });
        });
    }

    private void answered(long sentAt) {
        long now = System.nanoTime();
        lastAnswer = now;
        latency = latency + (now - sentAt - latency) / LATENCY_SMOOTHING;
    }

    /**
     * Whether a command that got no answer within {@code limit} is more likely delayed than lost: Redis answered
     * something since it was sent, or its recent latency is already high (it is busy, not gone), or this
     * process's event loops are stalled or were stalled while it waited.
     */
    private boolean alive(long sentAt, Duration limit) {
        long limitNanos = limit.toNanos();
        if (LOG.isDebugEnabled()) {
            LOG.debugf(
                    "Redis timeout: answered since sent %s, latency %d us, loops stalled %s",
                    lastAnswer - sentAt > 0, latency / 1000, lag.stalledSince(sentAt, limitNanos / SLOW_FRACTION));
        }
        return lastAnswer - sentAt > 0
                || latency > limitNanos / SLOW_FRACTION
                || lag.stalledSince(sentAt, limitNanos / SLOW_FRACTION);
    }

    /** A Redis command that did not answer within the configured timeout. */
    static final class RedisTimeoutException extends RuntimeException {
        RedisTimeoutException(Duration limit) {
            super("no answer within " + limit.toMillis() + " ms", null, false, false);
        }
    }
}
