package dev.roster.cache.internal;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.TagInvalidator;
import dev.roster.cache.WriteScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Tag generations and the global epoch: eviction in O(1) per changed tag, without scanning or flushing keys.
 *
 * <p>A write bumps the generation of each tag it changed; entries stamped with an older generation are never
 * served again and simply expire. Generations and the epoch start at random values and a missing key matches
 * no entry (see {@link Stamp}), so Redis may drop any of these keys at any time: that costs misses, never a
 * stale read. A bump therefore only increments keys that exist.
 *
 * <p>When a bump cannot reach Redis, or Redis was unavailable, the epoch is owed: it is replaced (which
 * invalidates every entry of every instance) as soon as Redis answers again, retried in the background, and
 * this instance does not read from Redis before that.
 */
@ApplicationScoped
public class GenerationStore implements TagInvalidator {

    private static final Logger LOG = Logger.getLogger(GenerationStore.class);

    /** A tag's generation is incremented only if it exists: a missing generation already matches no entry. */
    static final String BUMP_SCRIPT =
            "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) end return 0";

    /** Lengthens a generation's life to at least ARGV[1] ms (never shortens it, never creates it). */
    static final String EXTEND_SCRIPT = "local t = redis.call('PTTL', KEYS[1]) "
            + "if t >= 0 and t < tonumber(ARGV[1]) then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return 0";

    /** How often an owed epoch is retried while Redis does not answer. */
    private static final Duration SETTLE_RETRY = Duration.ofMillis(200);

    private final RedisStore store;
    private final NearCache near;
    private final RedisKeys keys;
    private final CacheMetrics metrics;
    private final AtomicBoolean epochOwed = new AtomicBoolean();
    private final AtomicBoolean settling = new AtomicBoolean();
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final AtomicLong localWrites = new AtomicLong();

    GenerationStore(RedisStore store, RedisKeys keys, CacheMetrics metrics, NearCache near, RosterCacheConfig config) {
        this.store = store;
        this.near = near;
        this.keys = keys;
        this.metrics = metrics;
        store.onOutage(this::owe);
    }

    @Override
    public Uni<Void> invalidate(Collection<Tag> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        localWrites.incrementAndGet();
        metrics.evictions(tags.size());
        near.forget(tags);
        if (!store.available()) {
            owe("Redis unavailable");
            return Uni.createFrom().voidItem();
        }
        List<Request> bumps = new ArrayList<>();
        for (Tag tag : new LinkedHashSet<>(tags)) {
            bumps.add(Request.cmd(Command.EVAL).arg(BUMP_SCRIPT).arg(1).arg(keys.generation(tag)));
        }
        // Forgotten again once Redis has applied the bumps: a near-cache read that fetched a generation after
        // the first forget but before the bump landed may have kept the old value, and the invalidation push
        // can arrive after this answer.
        return store.batch(bumps)
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    owe(e.getClass().getSimpleName());
                    return null;
                })
                .invoke(() -> near.forget(tags));
    }

    @Override
    public <T> Uni<T> write(Function<WriteScope, Uni<T>> write) {
        return EvictingWrite.run(this, write);
    }

    /**
     * Counts this process's evictions; an in-process computation started before a write must not be joined by
     * a caller that arrived after it (used where no Redis stamp can tell).
     */
    long localWrites() {
        return localWrites.get();
    }

    /**
     * Settles an owed epoch before this instance reads from Redis. Emits false when reads must not use Redis
     * yet (the epoch could not be replaced, or another request is replacing it right now).
     */
    Uni<Boolean> readyForReads() {
        if (!epochOwed.get()) {
            return Uni.createFrom().item(true);
        }
        return settle();
    }

    private Uni<Boolean> settle() {
        if (!settling.compareAndSet(false, true)) {
            return Uni.createFrom().item(false);
        }
        long epoch = Stamp.fresh();
        return store.send(Request.cmd(Command.SET).arg(keys.epoch()).arg(epoch))
                .map(r -> {
                    epochOwed.set(false);
                    near.clear();
                    metrics.epochBumps();
                    LOG.infof("Replaced the cache epoch: entries stored before Redis became unavailable are ignored");
                    return true;
                })
                .onFailure()
                .recoverWithItem(false)
                .eventually(() -> settling.set(false));
    }

    /** GET requests for the epoch and each tag's generation, in this order. */
    List<Request> stampRequests(List<Tag> tags) {
        List<Request> requests = new ArrayList<>(tags.size() + 1);
        requests.add(Request.cmd(Command.GET).arg(keys.epoch()));
        for (Tag tag : tags) {
            requests.add(Request.cmd(Command.GET).arg(keys.generation(tag)));
        }
        return requests;
    }

    /** Requests that keep each generation alive at least {@code keepMillis}, as long as a new entry. */
    List<Request> refreshRequests(List<Tag> tags, long keepMillis) {
        List<Request> requests = new ArrayList<>(tags.size());
        for (Tag tag : tags) {
            requests.add(Request.cmd(Command.EVAL)
                    .arg(EXTEND_SCRIPT)
                    .arg(1)
                    .arg(keys.generation(tag))
                    .arg(keepMillis));
        }
        return requests;
    }

    /** Reads a stamp from the responses of {@link #stampRequests}, starting at {@code offset}. */
    static Stamp stampOf(List<Response> responses, int offset, int tagCount) {
        long epoch = asLong(responses.get(offset));
        long[] generations = new long[tagCount];
        for (int i = 0; i < tagCount; i++) {
            generations[i] = asLong(responses.get(offset + 1 + i));
        }
        return new Stamp(epoch, generations);
    }

    /**
     * Creates (at fresh random values) the keys this stamp found absent, before a computation reads the
     * database, and emits the stamp as Redis holds it then: a write from then on changes it. Generations get
     * {@code keepMillis} to live (an entry's life); the epoch does not expire. Fails when a key cannot be
     * created or read back; the result must then not be stored.
     */
    Uni<Stamp> complete(List<Tag> tags, Stamp stamp, long keepMillis) {
        if (stamp.complete()) {
            return Uni.createFrom().item(stamp);
        }
        List<Request> requests = new ArrayList<>();
        List<Integer> created = new ArrayList<>();
        if (stamp.epoch() == Stamp.ABSENT) {
            requests.add(Request.cmd(Command.SET)
                    .arg(keys.epoch())
                    .arg(Stamp.fresh())
                    .arg("NX"));
            requests.add(Request.cmd(Command.GET).arg(keys.epoch()));
            created.add(-1);
        }
        for (int i = 0; i < tags.size(); i++) {
            if (stamp.generations()[i] == Stamp.ABSENT) {
                String key = keys.generation(tags.get(i));
                requests.add(Request.cmd(Command.SET)
                        .arg(key)
                        .arg(Stamp.fresh())
                        .arg("NX")
                        .arg("PX")
                        .arg(keepMillis));
                requests.add(Request.cmd(Command.GET).arg(key));
                created.add(i);
            }
        }
        return store.batch(requests).map(responses -> {
            long epoch = stamp.epoch();
            long[] generations = stamp.generations().clone();
            for (int k = 0; k < created.size(); k++) {
                long value = asLong(responses.get(2 * k + 1));
                if (value == Stamp.ABSENT) {
                    throw new IllegalStateException("a generation vanished as it was created");
                }
                if (created.get(k) < 0) {
                    epoch = value;
                } else {
                    generations[created.get(k)] = value;
                }
            }
            return new Stamp(epoch, generations);
        });
    }

    /**
     * Something may have been missed while Redis was unavailable (a bump that failed, an outage, a Redis that
     * lost data): replace the epoch before reading again, and as soon as Redis answers, so that the other
     * instances stop serving entries from before it too.
     */
    void owe(String why) {
        near.clear();
        if (epochOwed.compareAndSet(false, true)) {
            LOG.warnf("Cache evictions may have been lost (%s): the epoch will be replaced when Redis answers", why);
        }
        settleSoon();
    }

    private void settleSoon() {
        if (!retrying.compareAndSet(false, true)) {
            return;
        }
        Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(SETTLE_RETRY)
                .chain(() -> epochOwed.get() && store.available()
                        ? settle()
                        : Uni.createFrom().item(false))
                .onFailure()
                .recoverWithItem(false)
                .subscribe()
                .with(ignored -> {
                    retrying.set(false);
                    if (epochOwed.get()) {
                        settleSoon();
                    }
                });
    }

    private static long asLong(Response r) {
        return r == null ? Stamp.ABSENT : Long.parseLong(r.toString());
    }
}
