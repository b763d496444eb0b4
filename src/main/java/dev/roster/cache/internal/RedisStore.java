package dev.roster.cache.internal;

import dev.roster.cache.RosterCacheConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every Redis command of the cache goes through here: each one bounded by a short timeout, each outcome fed to
 * the circuit breaker. Commands borrow a pooled connection only for their own round trip, never while a value
 * is being computed. Pipelines are one {@code batch} on a standalone Redis and parallel sends (one per key's
 * node) on a cluster.
 */
@ApplicationScoped
public class RedisStore {

    private final Redis redis;
    private final RedisCircuit circuit;
    private final Duration timeout;
    private final Duration chunkTimeout;
    private final boolean cluster;
    private final AtomicBoolean outageSeen = new AtomicBoolean();

    RedisStore(
            Redis redis,
            RosterCacheConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.timeout = config.redisTimeout();
        this.chunkTimeout = config.chunkTimeout();
        this.cluster = "cluster".equalsIgnoreCase(clientType);
        this.circuit = new RedisCircuit(
                config.circuitFailureThreshold(), config.circuitOpenDuration().toNanos(), () -> outageSeen.set(true));
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
        return guard(redis.send(request), timeout);
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
            return guard(redis.batch(requests), limit);
        }
        List<Uni<Response>> sends = new ArrayList<>(requests.size());
        for (Request r : requests) {
            sends.add(redis.send(r));
        }
        return guard(Uni.join().all(sends).andFailFast(), limit);
    }

    private <T> Uni<T> guard(Uni<T> command, Duration limit) {
        return command.ifNoItem()
                .after(limit)
                .failWith(() -> new RedisTimeoutException(limit))
                .onItemOrFailure()
                .invoke((item, failure) -> {
                    if (failure == null) {
                        circuit.success();
                    } else {
                        circuit.failure(failure);
                    }
                });
    }

    /** A Redis command that did not answer within the configured timeout. */
    static final class RedisTimeoutException extends RuntimeException {
        RedisTimeoutException(Duration limit) {
            super("no answer within " + limit.toMillis() + " ms", null, false, false);
        }
    }
}
