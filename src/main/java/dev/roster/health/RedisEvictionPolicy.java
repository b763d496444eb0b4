package dev.roster.health;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Redis's eviction policy, read with {@code INFO memory} (not {@code CONFIG GET}, which managed Redis services
 * often disable) at start and every {@link HealthConfig#redisPolicyRefresh()} after, without blocking. Readiness
 * reports it, {@link HealthGauges} exports it; one WARN is logged each time it becomes a policy that evicts keys, because every key Roster
 * writes has a TTL, so {@code volatile-*} policies evict them as readily as {@code allkeys-*} ones. In a Redis
 * Cluster the command reaches one node, whose setting is taken for all.
 */
@ApplicationScoped
public class RedisEvictionPolicy {

    /** The policy before it could be read, or when reading it failed. */
    public static final String UNKNOWN = "unknown";

    private static final Logger LOG = Logger.getLogger(RedisEvictionPolicy.class);
    private static final String POLICY_FIELD = "maxmemory_policy:";
    private static final String MAXMEMORY_FIELD = "maxmemory:";

    private final Redis redis;
    private final Vertx vertx;
    private final HealthConfig config;
    private final AtomicReference<String> policy = new AtomicReference<>(UNKNOWN);
    private final AtomicReference<String> warnedAbout = new AtomicReference<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile long maxmemory = -1;
    private volatile long timer = -1;

    public RedisEvictionPolicy(Redis redis, Vertx vertx, HealthConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        refresh();
        timer = vertx.setPeriodic(config.redisPolicyRefresh().toMillis(), id -> refresh());
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** {@code noeviction}, {@code allkeys-lru}, …, or {@value #UNKNOWN}. */
    public String policy() {
        return policy.get();
    }

    /** Redis's {@code maxmemory} in bytes (0: no limit), or -1 while unknown. */
    public long maxmemory() {
        return maxmemory;
    }

    /** Whether {@code policy} lets Redis delete keys Roster relies on when memory runs out. */
    static boolean evicts(String policy) {
        return policy.startsWith("allkeys-") || policy.startsWith("volatile-");
    }

    private void refresh() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        redis.send(Request.cmd(Command.INFO).arg("memory"))
                .ifNoItem()
                .after(config.redisPolicyTimeout())
                .fail()
                .map(reply -> reply == null ? "" : reply.toString())
                .eventually(() -> reading.set(false))
                .subscribe()
                .with(this::observe, failure -> {
                    policy.set(UNKNOWN);
                    maxmemory = -1;
                    LOG.debugf(
                            "Redis maxmemory-policy not read: %s",
                            failure.getClass().getSimpleName());
                });
    }

    private void observe(String info) {
        String read = field(info, POLICY_FIELD);
        String limit = field(info, MAXMEMORY_FIELD);
        maxmemory = limit == null ? -1 : Long.parseLong(limit);
        policy.set(read == null ? UNKNOWN : read);
        if (read == null) {
            return;
        }
        if (evicts(read) && !read.equals(warnedAbout.getAndSet(read))) {
            LOG.warnf(
                    "Redis maxmemory-policy is %s (maxmemory %s): when memory runs out, Redis may delete"
                            + " Roster's keys, all of which have a TTL. A lost key costs a cache miss, never a"
                            + " stale read. Recommended: maxmemory-policy noeviction, with maxmemory sized for"
                            + " the working set.",
                    read, maxmemory == 0 ? "not set" : maxmemory + " bytes");
        } else if (!evicts(read) && warnedAbout.getAndSet(null) != null) {
            LOG.infof("Redis maxmemory-policy is now %s", read);
        }
    }

    /** The value of one {@code name:value} line of an INFO reply, or null. */
    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).trim();
            }
        }
        return null;
    }
}
