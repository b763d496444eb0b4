package dev.roster.cache.internal;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.TagInvalidator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Tag generations and the global epoch: eviction in O(1) per changed tag, without scanning or flushing keys.
 *
 * <p>A write bumps the generation of each tag it changed; entries stamped with an older generation are never
 * served again and simply expire. When a bump cannot reach Redis, or this instance saw Redis go away, the
 * epoch is owed: before this instance reads from Redis again it bumps the epoch, which every entry's stamp
 * includes, so nothing stored before the outage can be served after it.
 */
@ApplicationScoped
public class GenerationStore implements TagInvalidator {

    private static final Logger LOG = Logger.getLogger(GenerationStore.class);
    /** INCR and PEXPIRE as one step, so that no generation key is ever left without a TTL. */
    static final String BUMP_SCRIPT =
            "local v = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return v";

    /**
     * A tag's generation is bumped only if it exists: a key is created (at 0) by the first computation that
     * depends on the tag, before it reads the database, so a missing key means no entry depends on it and the
     * bump can be skipped. A bulk import of a million never-read members then leaves no million keys behind.
     */
    static final String BUMP_IF_EXISTS_SCRIPT = "if redis.call('EXISTS', KEYS[1]) == 1 then "
            + "local v = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return v end return 0";

    private final RedisStore store;
    private final NearCache near;
    private final RedisKeys keys;
    private final CacheMetrics metrics;
    private final String generationTtlMillis;
    private final AtomicBoolean epochOwed = new AtomicBoolean();
    private final AtomicBoolean settling = new AtomicBoolean();

    GenerationStore(RedisStore store, RedisKeys keys, CacheMetrics metrics, NearCache near, RosterCacheConfig config) {
        this.store = store;
        this.near = near;
        this.keys = keys;
        this.metrics = metrics;
        this.generationTtlMillis = Long.toString(config.generationTtl().toMillis());
    }

    @Override
    public Uni<Void> invalidate(Collection<Tag> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        metrics.evictions(tags.size());
        near.forget(tags);
        if (!store.available()) {
            owe("Redis unavailable");
            return Uni.createFrom().voidItem();
        }
        List<Request> bumps = new ArrayList<>();
        for (Tag tag : new LinkedHashSet<>(tags)) {
            bumps.add(Request.cmd(Command.EVAL)
                    .arg(BUMP_IF_EXISTS_SCRIPT)
                    .arg(1)
                    .arg(keys.generation(tag))
                    .arg(generationTtlMillis));
        }
        // Forgotten again once Redis has applied the bumps: a near-cache read that fetched a generation after
        // the first forget but before the bump landed may have kept the old value (found by the bench's mix:
        // 1 stale read in 16,268), and the invalidation push can arrive after this answer.
        return store.batch(bumps)
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    owe(e.getClass().getSimpleName());
                    return null;
                })
                .invoke(() -> near.forget(tags));
    }

    /**
     * Settles an owed epoch bump before this instance reads from Redis. Emits false when reads must not use
     * Redis yet (the bump failed, or another request is settling it right now).
     */
    Uni<Boolean> readyForReads() {
        if (store.takeOutage()) {
            epochOwed.set(true);
            near.clear();
        }
        if (!epochOwed.get()) {
            return Uni.createFrom().item(true);
        }
        if (!settling.compareAndSet(false, true)) {
            return Uni.createFrom().item(false);
        }
        return store.send(bump(keys.epoch()))
                .map(r -> {
                    epochOwed.set(false);
                    near.clear();
                    metrics.epochBumps();
                    LOG.infof("Bumped the cache epoch to %s: entries from before the Redis outage are ignored", r);
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

    /** PEXPIRE requests that keep the epoch and generations alive at least as long as a new entry. */
    List<Request> refreshRequests(List<Tag> tags) {
        List<Request> requests = new ArrayList<>(tags.size() + 1);
        requests.add(Request.cmd(Command.PEXPIRE).arg(keys.epoch()).arg(generationTtlMillis));
        for (Tag tag : tags) {
            requests.add(Request.cmd(Command.PEXPIRE).arg(keys.generation(tag)).arg(generationTtlMillis));
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
     * Creates (at 0) the generation keys of the tags this stamp saw at 0, before a computation reads the
     * database, so that a write from then on bumps them (see {@link #BUMP_IF_EXISTS_SCRIPT}).
     */
    Uni<Void> ensureExists(List<Tag> tags, Stamp stamp) {
        List<Request> creates = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            if (stamp.generations()[i] == 0) {
                creates.add(Request.cmd(Command.SET)
                        .arg(keys.generation(tags.get(i)))
                        .arg(0)
                        .arg("NX")
                        .arg("PX")
                        .arg(generationTtlMillis));
            }
        }
        return creates.isEmpty()
                ? Uni.createFrom().voidItem()
                : store.batch(creates).replaceWithVoid();
    }

    private Request bump(String key) {
        return Request.cmd(Command.EVAL).arg(BUMP_SCRIPT).arg(1).arg(key).arg(generationTtlMillis);
    }

    private void owe(String why) {
        if (epochOwed.compareAndSet(false, true)) {
            LOG.warnf("A cache eviction could not reach Redis (%s): the epoch will be bumped when it returns", why);
        }
        store.markOutage();
    }

    private static long asLong(Response r) {
        return r == null ? 0L : Long.parseLong(r.toString());
    }
}
