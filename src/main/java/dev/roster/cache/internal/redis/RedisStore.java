package dev.roster.cache.internal.redis;

import dev.roster.cache.RosterCacheConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every Redis command of the cache goes through here: each one bounded by a short timeout, each outcome fed to
 * the circuit breaker. Commands are multiplexed (pipelined) over a few long-lived connections instead of each
 * borrowing a pooled one: a burst of hundreds of concurrent requests then costs no connection set-up and no
 * pool queueing (with a cold pool, such a burst times out and opens the circuit). No
 * connection is ever held while a value is computed. An event loop that owns a connection sends on it, so its
 * replies are handled on the thread that sent the command and the response is written without a hop; other
 * threads take connections in turn. Pipelines are one {@code batch} on a standalone Redis and parallel sends
 * (one per key's node) on a cluster. A broken connection is dropped and re-made on the next command.
 */
@Singleton
public class RedisStore {

    private static final Logger LOG = Logger.getLogger(RedisStore.class);

    private final Redis redis;
    private final RedisCircuit circuit;
    private final CommandDeadline deadline;
    private final Duration timeout;
    private final Duration chunkTimeout;

    private final boolean cluster;
    private final Lineage lineage;
    private final List<Consumer<String>> outageListeners = new CopyOnWriteArrayList<>();
    private final AtomicReferenceArray<Uni<RedisConnection>> connections;
    private final AtomicInteger next = new AtomicInteger();
    /** The connection whose socket each event-loop thread serves: its replies need no hop to another thread. */
    private final Map<Thread, Integer> slotOfLoop = new ConcurrentHashMap<>();

    private volatile boolean stopped;

    RedisStore(
            Redis redis,
            EventLoopLag lag,
            RedisKeys keys,
            RosterCacheConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.timeout = config.redisTimeout();
        this.chunkTimeout = config.chunkTimeout();
        this.cluster = "cluster".equalsIgnoreCase(clientType);
        this.lineage = new Lineage(keys);
        this.circuit = new RedisCircuit(
                config.circuitFailureThreshold(),
                config.circuitOpenDuration().toNanos(),
                config.redisBusyTimeout().multipliedBy(2).toNanos(),
                () -> outage("Redis unavailable"),
                System::nanoTime);
        this.deadline = new CommandDeadline(lag, circuit, config.redisBusyTimeout());
        this.connections = new AtomicReferenceArray<>(config.connections());
    }

    /**
     * Registers what must happen when evictions may have been lost: the circuit opened, or a new connection
     * found a Redis that is not the one whose acknowledgements this instance trusted.
     */
    void onOutage(Consumer<String> listener) {
        outageListeners.add(listener);
    }

    private void outage(String why) {
        outageListeners.forEach(l -> l.accept(why));
    }

    /**
     * Closes the shared connections while the application stops (a live reload in dev mode included), before
     * Vert.x goes away; connections that end afterwards are not touched again.
     */
    void closeAll(@Observes ShutdownEvent event) {
        stopped = true;
        for (int i = 0; i < connections.length(); i++) {
            Uni<RedisConnection> open = connections.getAndSet(i, null);
            if (open != null) {
                open.subscribe().with(c -> c.close().subscribe().with(ignored -> {}, ignored -> {}), ignored -> {});
            }
        }
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

    /** A call of one of the cache's scripts (by digest; as text on a cluster). */
    Request script(Script script, String key, Object... args) {
        return script.call(cluster, key, args);
    }

    /** Whether every key lives on one server (standalone): a script may then read keys of any slot. */
    boolean singleNode() {
        return !cluster;
    }

    Uni<Response> send(Request request) {
        return deadline.bound(connection().chain(c -> withScripts(c, () -> c.send(request))), timeout);
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
            return deadline.bound(connection().chain(c -> withScripts(c, () -> c.batch(requests))), limit);
        }
        return deadline.bound(
                connection().chain(c -> {
                    List<Uni<Response>> sends = new ArrayList<>(requests.size());
                    for (Request r : requests) {
                        sends.add(c.send(r));
                    }
                    return Uni.join().all(sends).andFailFast();
                }),
                limit);
    }

    /**
     * One of the shared connections, connecting it on first use or after it broke. A new connection is handed
     * out only after {@link Lineage#check} made sure that the Redis it reaches is the one whose data the
     * fleet trusted (a restart from an older snapshot or a failover replaces the epoch first).
     */
    private Uni<RedisConnection> connection() {
        if (stopped) {
            return Uni.createFrom().failure(new IllegalStateException("the application is stopping"));
        }
        Integer own = slotOfLoop.get(Thread.currentThread());
        int slot = own != null ? own : Math.floorMod(next.getAndIncrement(), connections.length());
        Uni<RedisConnection> current = connections.get(slot);
        if (current != null) {
            return current;
        }
        AtomicReference<Uni<RedisConnection>> self = new AtomicReference<>();
        Uni<RedisConnection> fresh = connectOnRootContext()
                .invoke(c -> {
                    c.exceptionHandler(e -> drop(slot, self.get(), c));
                    c.endHandler(() -> drop(slot, self.get(), c));
                })
                .call(c -> lineage.check(c)
                        .invoke(() -> repliesHere(slot))
                        .chain(() -> loadScripts(c))
                        .onFailure()
                        .call(c::close))
                .onFailure()
                .invoke(e -> connections.compareAndSet(slot, self.get(), null))
                .memoize()
                .indefinitely();
        self.set(fresh);
        return connections.compareAndSet(slot, null, fresh) ? fresh : connection();
    }

    /** Called on the thread a reply of {@code slot}'s connection arrived on: that loop sends on it from now. */
    private void repliesHere(int slot) {
        if (Context.isOnEventLoopThread()) {
            slotOfLoop.values().remove(slot);
            slotOfLoop.put(Thread.currentThread(), slot);
        }
    }

    /**
     * Connects on the event loop's own context: a connection made while serving a request must not deliver every
     * later reply on that request's duplicated context (its MDC and context data).
     */
    private Uni<RedisConnection> connectOnRootContext() {
        Context here = Vertx.currentContext();
        if (here == null || !VertxContext.isDuplicatedContext(here)) {
            return redis.connect();
        }
        Context root = VertxContext.getRootContext(here);
        return Uni.createFrom()
                .emitter(emitter ->
                        root.runOnContext(v -> redis.connect().subscribe().with(emitter::complete, emitter::fail)));
    }

    /** Loads the cache's scripts on a standalone Redis, so that calls carry digests only. */
    private Uni<Void> loadScripts(RedisConnection c) {
        if (cluster) {
            return Uni.createFrom().voidItem();
        }
        List<Request> loads = new ArrayList<>();
        for (Script s : Script.values()) {
            loads.add(s.load());
        }
        return c.batch(loads).replaceWithVoid();
    }

    /**
     * Sends once more, after loading the scripts, what failed on NOSCRIPT (a Redis that forgot them). A pipeline
     * is sent again whole: every command in it may run twice, which each of them tolerates (a DEL, a SET, a TTL
     * extension, a compare-and-delete).
     */
    private <T> Uni<T> withScripts(RedisConnection c, Supplier<Uni<T>> command) {
        return command.get()
                .onFailure(RedisStore::noScript)
                .recoverWithUni(() -> loadScripts(c).chain(() -> command.get()));
    }

    private static boolean noScript(Throwable failure) {
        String message = failure.getMessage();
        // A single command fails with "NOSCRIPT …", a pipeline with "ERR [i] NOSCRIPT …".
        return message != null && message.contains("NOSCRIPT");
    }

    private void drop(int slot, Uni<RedisConnection> which, RedisConnection connection) {
        if (!stopped && connections.compareAndSet(slot, which, null)) {
            slotOfLoop.values().remove(slot);
            connection.close().subscribe().with(ignored -> {}, ignored -> {});
        }
    }
}
