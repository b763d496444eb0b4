package dev.roster.cache.internal.near;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.entry.StampChanges;
import dev.roster.cache.internal.plan.Lookup;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Optional in-process near cache (L1, off by default) in front of the store, kept coherent by the store's pushed
 * {@link StampChanges} (on Redis: server-assisted invalidation of every tag generation and of the epoch, made by
 * any instance). A hit then needs the entry and every generation of its stamp locally, and no round trip at all.
 *
 * <ul>
 *   <li>Entries live in a quarkus-cache Caffeine cache ({@code roster-near}: bounded size, short TTL); only
 *       small inline entries are kept.
 *   <li>Generations read from the store are kept only if no change notice arrived while they were in flight.
 *   <li>This instance's own writes drop the affected generations locally before they are sent, so
 *       read-your-writes holds on the writing instance; other instances see a write once its notice arrives
 *       (the cross-instance staleness bound: docs/caching.md).
 *   <li>While notices may be missing (a broken connection), everything is dropped and the near cache is off.
 * </ul>
 */
@Singleton
public class NearCache implements StampChanges.Listener {

    private static final Logger LOG = Logger.getLogger(NearCache.class);

    private final CaffeineCache entries;
    private final StampChanges changes;
    private final boolean enabled;
    private final int maxBytes;
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean tracking;

    @Inject
    NearCache(@CacheName("roster-near") Cache entries, StampChanges changes, RosterCacheConfig config) {
        this.entries = entries.as(CaffeineCache.class);
        this.changes = changes;
        if (config.near().enabled() && !changes.supported()) {
            LOG.warn("Near cache stays off on a Redis Cluster: tracking one node would miss the others' changes");
        }
        this.enabled = config.near().enabled() && changes.supported();
        this.maxBytes = config.near().maxEntryBytes();
    }

    /** A near cache that is off, for rules that run without one. */
    public static NearCache off() {
        return new NearCache();
    }

    private NearCache() {
        this.entries = null;
        this.changes = null;
        this.enabled = false;
        this.maxBytes = 0;
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            changes.follow(this);
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
        Long epoch = generations.get(changes.epoch());
        if (entry == null || epoch == null || epoch != entry.stamp().epoch()) {
            return null;
        }
        for (int i = 0; i < l.tags().size(); i++) {
            Long generation = generations.get(changes.generation(l.tags().get(i)));
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
        seen.put(changes.epoch(), current.epoch());
        for (int i = 0; i < l.tags().size(); i++) {
            seen.put(changes.generation(l.tags().get(i)), current.generations()[i]);
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

    /** This instance is about to evict these tags: drop them first, so its next read goes to Redis. */
    public void forget(Collection<Tag> tags) {
        sequence.incrementAndGet();
        if (changes == null) {
            return;
        }
        for (Tag tag : tags) {
            generations.remove(changes.generation(tag));
        }
    }

    public void clear() {
        sequence.incrementAndGet();
        generations.clear();
        if (entries != null) {
            entries.invalidateAll().subscribe().with(ignored -> {});
        }
    }

    @Override
    public void following() {
        clear();
        tracking = true;
        LOG.info("Near cache on: Redis tracks generation changes for this instance");
    }

    @Override
    public void changed(String name) {
        sequence.incrementAndGet();
        if (name.equals(changes.epoch())) {
            clear();
        } else {
            generations.remove(name);
        }
    }

    @Override
    public void everything() {
        clear();
    }

    @Override
    public void lost() {
        if (tracking) {
            LOG.warn("Near cache off: its Redis connection broke; reconnecting");
        }
        tracking = false;
        clear();
    }
}
