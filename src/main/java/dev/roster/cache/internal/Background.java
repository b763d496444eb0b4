package dev.roster.cache.internal;

import dev.roster.cache.CachedBody;
import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.entry.GzipInflation;
import dev.roster.cache.internal.entry.LeaseRequest;
import dev.roster.cache.internal.entry.ResultCodec;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.flight.Computation;
import dev.roster.cache.internal.flight.Flight;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Work a hit starts and nobody waits for: early refresh of hot keys, and the sampled staleness audit. */
@Singleton
public class Background {

    private static final Logger LOG = Logger.getLogger(Background.class);

    private final EntryStore store;
    private final ResultCodec codec;
    private final Computation computation;
    private final CacheMetrics metrics;
    private final RosterCacheConfig config;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    public Background(
            EntryStore store,
            ResultCodec codec,
            Computation computation,
            CacheMetrics metrics,
            RosterCacheConfig config) {
        this.store = store;
        this.codec = codec;
        this.computation = computation;
        this.metrics = metrics;
        this.config = config;
    }

    /** In the last part of its TTL, a hit recomputes the entry once for the fleet, in the background. */
    void maybeRefresh(Lookup l, Stamp current, Entry entry, long now, Supplier<Uni<Object>> loader) {
        if (entry.remainingMillis(now) > entry.ttlMillis() * config.earlyRefresh() || !refreshing.add(l.id())) {
            return;
        }
        metrics.earlyRefresh(l.cache());
        run(
                "Early refresh",
                l,
                store.acquire(l)
                        .chain(token -> token == null
                                ? Uni.createFrom().voidItem()
                                : computation.run(l, current, loader, token).chain(Background::drain))
                        .eventually(() -> refreshing.remove(l.id())));
    }

    /**
     * For a sampled fraction of hits on whole entries, recomputes in the background and compares with what was
     * served; a difference while the stamp stayed the same is real staleness (a write that bypassed the API).
     */
    void maybeAudit(Lookup l, Stamp current, Entry entry, Supplier<Uni<Object>> loader) {
        if (config.auditRate() <= 0
                || entry.chunkCount() > 0
                || ThreadLocalRandom.current().nextDouble() >= config.auditRate()) {
            return;
        }
        run(
                "Audit",
                l,
                loader.get()
                        .chain(fresh -> store.lookup(l, LeaseRequest.NONE).map(after -> {
                            if (after.current().matches(current)) {
                                byte[] computed = codec.whole(l, fresh).bytes();
                                // Compared as identity bytes: another instance's zlib may deflate the same body
                                // to other bytes.
                                boolean same = Arrays.equals(
                                        computed,
                                        entry.gzip() ? GzipInflation.inflate(entry.inline()) : entry.inline());
                                metrics.audit(l.cache(), same);
                                if (!same) {
                                    LOG.infof("Audit: cached %s differs from a fresh computation", l.trace());
                                }
                            }
                            return null;
                        })));
    }

    /** Runs work nobody waits for; its failure is only worth a debug line. */
    private static void run(String what, Lookup l, Uni<?> work) {
        work.subscribe()
                .with(
                        ignored -> {},
                        e -> LOG.debugf(
                                "%s of %s failed: %s",
                                what, l.trace(), e.getClass().getSimpleName()));
    }

    private static Uni<Void> drain(Flight flight) {
        if (flight.result() instanceof CachedBody body && body.whole() == null) {
            return body.chunks().onItem().ignoreAsUni();
        }
        return Uni.createFrom().voidItem();
    }
}
