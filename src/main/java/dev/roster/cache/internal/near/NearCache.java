package dev.roster.cache.internal.near;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.plan.Lookup;
import dev.roster.cache.internal.redis.RedisKeys;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Optional in-process near cache (L1, off by default) in front of Redis, kept coherent by Redis's
 * server-assisted invalidation: {@code CLIENT TRACKING ON REDIRECT <id> BCAST PREFIX <prefix>:g: PREFIX
 * <prefix>:epoch} on a tracker connection sends every change of a tag generation or of the epoch, made by any
 * instance, to this instance's subscriber connection ({@code __redis__:invalidate}). A hit then needs the
 * entry and every generation of its stamp locally, and no Redis round trip at all.
 *
 * <ul>
 *   <li>Entries live in a quarkus-cache Caffeine cache ({@code roster-near}: bounded size, short TTL); only
 *       small inline entries are kept.
 *   <li>Generations read from Redis are kept only if no invalidation arrived while they were in flight.
 *   <li>This instance's own writes drop the affected generations locally before they are sent, so
 *       read-your-writes holds on the writing instance; other instances see a write once its invalidation
 *       message arrives (the cross-instance staleness bound; see README).
 *   <li>When either connection breaks, everything is dropped and the near cache is off until it reconnects.
 * </ul>
 */
@ApplicationScoped
public class NearCache {

    private static final Logger LOG = Logger.getLogger(NearCache.class);
    private static final String CHANNEL = "__redis__:invalidate";
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private final CaffeineCache entries;
    private final Redis redis;
    private final RedisKeys keys;
    private final boolean enabled;
    private final int maxBytes;
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean tracking;
    private volatile boolean stopped;
    private volatile TrackingPair current;

    @Inject
    NearCache(
            @CacheName("roster-near") Cache entries,
            Redis redis,
            RedisKeys keys,
            RosterCacheConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.entries = entries.as(CaffeineCache.class);
        this.redis = redis;
        this.keys = keys;
        boolean cluster = "cluster".equalsIgnoreCase(clientType);
        if (config.near().enabled() && cluster) {
            LOG.warn("Near cache stays off on a Redis Cluster: tracking one node would miss the others' changes");
        }
        this.enabled = config.near().enabled() && !cluster;
        this.maxBytes = config.near().maxEntryBytes();
    }

    /** A near cache that is off, for rules that run without one. */
    public static NearCache off(RedisKeys keys) {
        return new NearCache(keys);
    }

    private NearCache(RedisKeys keys) {
        this.entries = null;
        this.redis = null;
        this.keys = keys;
        this.enabled = false;
        this.maxBytes = 0;
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            connect();
        }
    }

    public boolean active() {
        return tracking;
    }

    /** A marker taken before a Redis read; generations read are kept only if no invalidation came since. */
    public long sequence() {
        return sequence.get();
    }

    /** The locally known entry of {@code l}, if it is valid for the locally known generations. */
    public Entry entry(Lookup l) {
        if (!tracking) {
            return null;
        }
        CompletableFuture<Object> cached = entries.getIfPresent(l.id());
        if (cached == null || !cached.isDone()) {
            return null;
        }
        Entry entry = (Entry) cached.getNow(null);
        Long epoch = generations.get(keys.epoch());
        if (entry == null || epoch == null || epoch != entry.stamp().epoch()) {
            return null;
        }
        for (int i = 0; i < l.tags().size(); i++) {
            Long generation = generations.get(keys.generation(l.tags().get(i)));
            if (generation == null || generation != entry.stamp().generations()[i]) {
                return null;
            }
        }
        return entry;
    }

    /**
     * Keeps what a Redis lookup returned, unless an invalidation arrived since {@code before}. Written first and
     * checked after: an invalidation counts itself before it removes a key, so one that lands while this writes
     * is either seen by the check (and what was written is taken back) or removes it afterwards.
     */
    public void remember(Lookup l, long before, Stamp current, Entry entry) {
        if (!tracking || sequence.get() != before || !current.complete()) {
            return;
        }
        Map<String, Long> seen = new java.util.LinkedHashMap<>();
        seen.put(keys.epoch(), current.epoch());
        for (int i = 0; i < l.tags().size(); i++) {
            seen.put(keys.generation(l.tags().get(i)), current.generations()[i]);
        }
        generations.putAll(seen);
        if (sequence.get() != before) {
            seen.forEach(generations::remove);
            return;
        }
        if (entry != null && entry.chunkCount() == 0 && entry.inline().length <= maxBytes) {
            entries.put(l.id(), CompletableFuture.completedFuture(entry));
        }
    }

    /** This instance is about to bump these tags: drop them first, so its next read goes to Redis. */
    public void forget(Collection<Tag> tags) {
        sequence.incrementAndGet();
        for (Tag tag : tags) {
            generations.remove(keys.generation(tag));
        }
    }

    public void clear() {
        sequence.incrementAndGet();
        generations.clear();
        if (entries != null) {
            entries.invalidateAll().subscribe().with(ignored -> {});
        }
    }

    /**
     * Opens the subscriber and tracker pair. Tracking is switched on only if neither connection broke while
     * they were being set up; a break at any time closes both and starts over.
     */
    /** Closes the tracking pair while the application stops (a live reload included), and stops reconnecting. */
    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        TrackingPair open = current;
        if (open != null) {
            open.close();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        TrackingPair pair = new TrackingPair();
        current = pair;
        redis.connect()
                .chain(subscriber -> {
                    pair.subscriber = subscriber;
                    subscriber.handler(this::onMessage);
                    subscriber.exceptionHandler(e -> lost(pair));
                    subscriber.endHandler(() -> lost(pair));
                    return subscriber
                            .send(Request.cmd(Command.CLIENT).arg("ID"))
                            .chain(id -> subscriber
                                    .send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL))
                                    .replaceWith(id.toLong()));
                })
                .chain(id -> track(pair, id))
                .subscribe()
                .with(
                        ok -> {
                            clear();
                            tracking = true;
                            if (!pair.open()) {
                                tracking = false;
                            } else {
                                LOG.info("Near cache on: Redis tracks generation changes for this instance");
                            }
                        },
                        e -> {
                            LOG.warnf(
                                    "Near cache off: tracking unavailable (%s); retrying",
                                    e.getClass().getSimpleName());
                            lost(pair);
                        });
    }

    private Uni<Response> track(TrackingPair pair, long subscriberId) {
        return redis.connect().chain(tracker -> {
            pair.tracker = tracker;
            tracker.exceptionHandler(e -> lost(pair));
            tracker.endHandler(() -> lost(pair));
            if (!pair.open()) {
                return Uni.createFrom().failure(new IllegalStateException("subscriber connection lost"));
            }
            return tracker.send(Request.cmd(Command.CLIENT)
                    .arg("TRACKING")
                    .arg("ON")
                    .arg("REDIRECT")
                    .arg(subscriberId)
                    .arg("BCAST")
                    .arg("PREFIX")
                    .arg(keys.generationPrefix())
                    .arg("PREFIX")
                    .arg(keys.epoch()));
        });
    }

    /**
     * An invalidation: {@code [invalidate, keys]} as a RESP3 push, or {@code [message, __redis__:invalidate,
     * keys]} as a RESP2 pub/sub message; {@code keys} is null when Redis was flushed.
     */
    private void onMessage(Response message) {
        String kind =
                message.size() > 0 && message.get(0) != null ? message.get(0).toString() : "";
        int keysAt = "invalidate".equals(kind) ? 1 : "message".equals(kind) ? 2 : -1;
        if (keysAt < 0 || message.size() <= keysAt) {
            return;
        }
        sequence.incrementAndGet();
        Response changed = message.get(keysAt);
        if (changed == null) {
            clear();
            return;
        }
        for (Response key : changed) {
            String name = key.toString();
            if (name.equals(keys.epoch())) {
                clear();
            } else {
                generations.remove(name);
            }
        }
    }

    /** One of the pair broke (or setting it up failed): off, both closed, one reconnect. */
    private void lost(TrackingPair pair) {
        if (!pair.close()) {
            return;
        }
        if (tracking) {
            LOG.warn("Near cache off: its Redis connection broke; reconnecting");
        }
        tracking = false;
        clear();
        retry();
    }

    private void retry() {
        Uni.createFrom().voidItem().onItem().delayIt().by(RECONNECT).subscribe().with(ignored -> connect());
    }
}
