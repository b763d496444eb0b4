package dev.roster.cache.internal;

import dev.roster.cache.CacheStatus;
import dev.roster.cache.CachedBody;
import dev.roster.cache.RosterCacheConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The decorator itself: key, look in Redis, else compute and store; done so that
 *
 * <ul>
 *   <li>a hit costs one round trip (entry, epoch and tag generations in one pipeline) and entries are only
 *       accepted with the current stamp;
 *   <li>a cold key is computed once: concurrent callers in this process share one computation, and across
 *       the fleet a lease lets one instance compute while the others wait for its entry;
 *   <li>a hot key is recomputed in the background shortly before it expires, so steady traffic never misses;
 *   <li>when computing fails, an expired (never an invalidated) copy is served as stale;
 *   <li>no Redis connection is held while computing, failures are never stored, Redis errors are misses.
 * </ul>
 */
@ApplicationScoped
public class ResultCache {

    private static final Logger LOG = Logger.getLogger(ResultCache.class);

    private final RedisStore store;
    private final RedisKeys keys;
    private final GenerationStore generations;
    private final EntryReader reader;
    private final EntryWriter writer;
    private final Leases leases;
    private final NearCache near;
    private final CacheMetrics metrics;
    private final RosterCacheConfig config;
    private final Map<MethodPlan, Lookup.Settings> settings = new ConcurrentHashMap<>();
    private final Map<String, Uni<Flight>> flights = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    /** The outcome of one computation; a streamed body can be consumed once, so it is not shared. */
    private record Flight(Object result, boolean shareable) {}

    /** What one lookup found. */
    /** What a lookup read; {@code lease} is the reply to the lease command sent with it, if any. */
    private record Found(Stamp current, Entry entry, Response lease) {

        /** After {@code EXISTS}: another instance holds the lease. */
        boolean leaseHeld() {
            return lease != null && lease.toLong() > 0;
        }

        /** After {@code SET NX}: the lease is ours. */
        boolean leaseTaken() {
            return lease != null;
        }
    }

    ResultCache(
            RedisStore store,
            RedisKeys keys,
            GenerationStore generations,
            EntryReader reader,
            EntryWriter writer,
            Leases leases,
            NearCache near,
            CacheMetrics metrics,
            RosterCacheConfig config) {
        this.store = store;
        this.keys = keys;
        this.generations = generations;
        this.reader = reader;
        this.writer = writer;
        this.leases = leases;
        this.near = near;
        this.metrics = metrics;
        this.config = config;
    }

    Uni<Object> get(MethodPlan plan, Object[] args, Supplier<Uni<Object>> loader) {
        Lookup.Settings s = settingsOf(plan);
        if (!s.enabled()) {
            metrics.bypass(plan.cache);
            long start = System.nanoTime();
            return loader.get()
                    .invoke(() -> metrics.load(plan.cache, System.nanoTime() - start))
                    .map(v -> mark(plan, v, CacheStatus.bypass("disabled")));
        }
        String id = plan.entryId(args);
        Lookup lookup = new Lookup(plan, id, keys.entry(plan.cache, id), plan.tags(args), s);
        if (!store.available()) {
            return withoutRedis(lookup, loader);
        }
        return generations
                .readyForReads()
                .chain(ready -> ready ? lookup(lookup, loader) : withoutRedis(lookup, loader));
    }

    Lookup.Settings settingsOf(MethodPlan plan) {
        return settings.computeIfAbsent(plan, p -> {
            var cache = Optional.ofNullable(config.caches().get(p.cache));
            var method = Optional.ofNullable(config.methods().get(p.settingsKey));
            Duration ttl = method.flatMap(RosterCacheConfig.CacheSettings::ttl)
                    .or(() -> p.ttl)
                    .or(() -> cache.flatMap(RosterCacheConfig.CacheSettings::ttl))
                    .orElse(config.defaultTtl());
            Duration emptyTtl = method.flatMap(RosterCacheConfig.CacheSettings::emptyTtl)
                    .or(() -> cache.flatMap(RosterCacheConfig.CacheSettings::emptyTtl))
                    .orElse(config.emptyTtl());
            boolean enabled = config.enabled()
                    && method.flatMap(RosterCacheConfig.CacheSettings::enabled)
                            .or(() -> cache.flatMap(RosterCacheConfig.CacheSettings::enabled))
                            .orElse(true);
            return new Lookup.Settings(enabled, ttl, emptyTtl.compareTo(ttl) < 0 ? emptyTtl : ttl);
        });
    }

    /** Redis unavailable: compute, still once per key in this process for callers arriving together. */
    private Uni<Object> withoutRedis(Lookup l, Supplier<Uni<Object>> loader) {
        metrics.fallback(l.cache());
        metrics.bypass(l.cache());
        // No stamp can tell a computation that started before a write of this instance: the count of its
        // evictions does, so a read after a local write never joins a computation from before it.
        String flightKey = l.key() + "|without-redis|" + generations.localWrites();
        Uni<Flight> mine = Uni.createFrom()
                .deferred(() -> {
                    long start = System.nanoTime();
                    return loader.get().map(v -> {
                        metrics.load(l.cache(), System.nanoTime() - start);
                        return new Flight(v, !isStream(v));
                    });
                })
                .memoize()
                .indefinitely();
        Uni<Flight> existing = flights.putIfAbsent(flightKey, mine);
        Uni<Object> result;
        if (existing == null) {
            result = mine.eventually(() -> flights.remove(flightKey, mine)).map(Flight::result);
        } else {
            metrics.coalesced(l.cache());
            result = existing.chain(f -> f.shareable() ? Uni.createFrom().item(f.result()) : loader.get());
        }
        return result.map(v -> mark(l.plan(), v, CacheStatus.bypass("redis-unavailable")));
    }

    private Uni<Object> lookup(Lookup l, Supplier<Uni<Object>> loader) {
        Entry local = near.entry(l);
        long now = System.currentTimeMillis();
        if (local != null && local.remainingMillis(now) > 0) {
            metrics.hit(l.cache());
            return read(l, local, CacheStatus.nearHit((local.remainingMillis(now) + 999) / 1000));
        }
        long sequence = near.sequence();
        return find(l, null).onFailure().recoverWithNull().chain(found -> {
            if (found != null) {
                near.remember(l, sequence, found.current(), found.entry());
            }
            if (found == null) {
                metrics.error(l.cache(), "lookup");
                return withoutRedis(l, loader);
            }
            Entry entry = found.entry();
            long at = System.currentTimeMillis();
            if (entry != null && entry.remainingMillis(at) > 0) {
                maybeRefresh(l, found.current(), entry, at, loader);
                maybeAudit(l, found.current(), entry, loader);
                return hit(l, entry, at).onFailure().recoverWithUni(e -> miss(l, found.current(), loader, null));
            }
            return miss(l, found.current(), loader, entry);
        });
    }

    /**
     * Entry, epoch and generations in one pipeline (entry null unless valid), after {@code lease} (a lease
     * command, or null) when given. The lease command goes first: a holder stores its entry before it releases
     * its lease, so when the lease turns out free (or taken by us) the entry read after it is already there.
     */
    private Uni<Found> find(Lookup l, Request lease) {
        int first = lease == null ? 0 : 1;
        List<Request> requests = new ArrayList<>(l.tags().size() + 3);
        if (lease != null) {
            requests.add(lease);
        }
        requests.add(Request.cmd(Command.GET).arg(l.key()));
        requests.addAll(generations.stampRequests(l.tags()));
        return store.batch(requests).map(responses -> {
            Stamp current =
                    GenerationStore.stampOf(responses, first + 1, l.tags().size());
            Response head = responses.get(first);
            Entry entry = head == null ? null : Entry.decode(head.toBytes());
            return new Found(
                    current,
                    entry != null && entry.stamp().matches(current) ? entry : null,
                    lease == null ? null : responses.get(0));
        });
    }

    private Uni<Object> hit(Lookup l, Entry entry, long now) {
        long ttlLeft = (entry.remainingMillis(now) + 999) / 1000;
        return read(l, entry, CacheStatus.hit(ttlLeft)).invoke(() -> metrics.hit(l.cache()));
    }

    private Uni<Object> read(Lookup l, Entry entry, CacheStatus status) {
        if (l.plan().kind == MethodPlan.Kind.UNI_BODY && entry.chunkCount() == 0) {
            return Uni.createFrom()
                    .item(CachedBody.restoredWhole(
                            entry.inline(), entry.etag(), entry.present(), entry.empty(), status));
        }
        if (l.plan().kind == MethodPlan.Kind.UNI_BODY) {
            return reader.body(l, entry)
                    .map(chunks -> CachedBody.restored(chunks, entry.etag(), entry.present(), entry.empty(), status));
        }
        return reader.value(l, entry);
    }

    /** A miss: computed once per key (process and fleet); an expired copy, if any, answers when that fails. */
    private Uni<Object> miss(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader, Entry expired) {
        metrics.miss(l.cache());
        return coalesced(l, stamp, loader).onFailure().recoverWithUni(failure -> {
            if (expired == null) {
                return Uni.createFrom().failure(failure);
            }
            metrics.stale(l.cache());
            LOG.warnf(
                    "Serving an expired copy of %s: computing it failed (%s)",
                    l.trace(), failure.getClass().getSimpleName());
            long age = (expired.remainingMillis(System.currentTimeMillis()) - 999) / 1000;
            return read(l, expired, CacheStatus.stale(age));
        });
    }

    /** Concurrent callers of one key (and stamp) in this process share one computation, failure included. */
    private Uni<Object> coalesced(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        String flightKey = l.key() + "|" + stamp;
        Uni<Flight> mine = Uni.createFrom()
                .deferred(() -> leader(l, stamp, loader))
                .memoize()
                .indefinitely();
        Uni<Flight> existing = flights.putIfAbsent(flightKey, mine);
        if (existing != null) {
            metrics.coalesced(l.cache());
            return existing.chain(
                    f -> f.shareable() ? Uni.createFrom().item(f.result()) : awaitOther(l, stamp, loader));
        }
        return mine.eventually(() -> flights.remove(flightKey, mine)).map(Flight::result);
    }

    /**
     * Tries to take the key's lease and, in the same round trip, reads the entry again: another instance may have
     * stored it since this caller's lookup (without this, a fast computation was done twice in the fleet; caught
     * by {@code FleetSingleFlightIT} in 1 of 3 clean runs). Then serves that entry, or computes under the lease,
     * or waits for the instance that holds it; with Redis failing, computes without a lease.
     */
    private Uni<Flight> leader(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        String token = Leases.newToken();
        return find(l, leases.take(l.id(), token)).onFailure().recoverWithNull().chain(found -> {
            if (found == null) {
                return compute(l, stamp, loader, null);
            }
            String mine = found.leaseTaken() ? token : null;
            return validHit(l, found).chain(stored -> {
                if (stored != null) {
                    metrics.leaseLateHit(l.cache());
                    return leases.release(l.id(), mine).replaceWith(stored);
                }
                return mine != null
                        ? compute(l, stamp, loader, mine)
                        : awaitOther(l, stamp, loader).map(result -> new Flight(result, !isStream(result)));
            });
        });
    }

    /** A hit on the entry that {@code found} holds, if it is valid and unexpired (null otherwise or on failure). */
    private Uni<Flight> validHit(Lookup l, Found found) {
        long now = System.currentTimeMillis();
        if (found.entry() == null || found.entry().remainingMillis(now) <= 0) {
            return Uni.createFrom().nullItem();
        }
        return hit(l, found.entry(), now)
                .map(result -> new Flight(result, true))
                .onFailure()
                .recoverWithNull();
    }

    /**
     * Computes and stores. The stamp's absent keys are created first (at fresh values), so that a write during
     * the computation changes the stamp it is stored with; if that fails, the result is served but not stored.
     */
    private Uni<Flight> compute(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader, String token) {
        return generations
                .complete(l.tags(), stamp, writer.longestKeep(l))
                .onFailure()
                .recoverWithNull()
                .chain(complete -> {
                    long start = System.nanoTime();
                    return loader.get()
                            .onFailure()
                            .call(() -> leases.release(l.id(), token))
                            .chain(result -> {
                                long nanos = System.nanoTime() - start;
                                metrics.load(l.cache(), nanos);
                                return complete != null
                                        ? store(l, complete, result, nanos, token)
                                        : leases.release(l.id(), token).replaceWith(unstored(l, result));
                            });
                });
    }

    private static Flight unstored(Lookup l, Object result) {
        Object marked = mark(l.plan(), result, CacheStatus.miss(false));
        return new Flight(marked, !isStream(marked));
    }

    private Uni<Flight> store(Lookup l, Stamp stamp, Object result, long nanos, String token) {
        if (l.plan().kind != MethodPlan.Kind.UNI_BODY) {
            return writer.value(l, stamp, result, nanos)
                    .call(() -> leases.release(l.id(), token))
                    .map(stored -> new Flight(result, true));
        }
        CachedBody body = result == null ? CachedBody.absent() : (CachedBody) result;
        if (body.whole() != null) {
            return writer.body(l, stamp, body, nanos)
                    .call(() -> leases.release(l.id(), token))
                    .map(stored -> new Flight(body.withStatus(CacheStatus.miss(stored)), true));
        }
        var chunks = writer.stream(
                l,
                stamp,
                body,
                stored -> leases.release(l.id(), token).subscribe().with(ignored -> {}));
        return Uni.createFrom().item(new Flight(body.withChunks(chunks).withStatus(CacheStatus.miss(true)), false));
    }

    /**
     * Waits (polling with backoff) for the instance holding the lease to store the entry; computes here when
     * the lease is gone without a valid entry, when the tags changed meanwhile, or after the configured wait.
     */
    private Uni<Object> awaitOther(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        metrics.leaseWait(l.cache());
        long deadline = System.nanoTime() + config.leaseWait().toNanos();
        return poll(l, stamp, deadline, config.leasePollMin())
                .chain(found -> found != null
                        ? Uni.createFrom().item(found.result())
                        : compute(l, stamp, loader, null).map(Flight::result));
    }

    /**
     * The other instance's entry once it is there (wrapped: a cached absence is a null result), else null. A
     * failed check is retried while the circuit stays closed (one slow answer must not start a second
     * computation); with Redis gone, the caller computes at once.
     */
    private Uni<Flight> poll(Lookup l, Stamp stamp, long deadline, Duration pause) {
        return Uni.createFrom()
                .nullItem()
                .onItem()
                .delayIt()
                .by(pause)
                .chain(() -> find(l, leases.exists(l.id())))
                .onFailure()
                .recoverWithNull()
                .chain(found -> {
                    if (found != null
                            && found.entry() != null
                            && found.entry().remainingMillis(System.currentTimeMillis()) > 0) {
                        return validHit(l, found);
                    }
                    boolean transientError = found == null && store.circuitState() == RedisCircuit.State.CLOSED;
                    if (!transientError
                            && (found == null || !found.leaseHeld() || !stamp.continuedBy(found.current()))) {
                        return Uni.createFrom().nullItem();
                    }
                    if (System.nanoTime() - deadline > 0) {
                        metrics.leaseTimeout(l.cache());
                        return Uni.createFrom().nullItem();
                    }
                    Duration next = pause.multipliedBy(2);
                    return poll(
                            l,
                            stamp,
                            deadline,
                            next.compareTo(config.leasePollMax()) > 0 ? config.leasePollMax() : next);
                });
    }

    /** In the last part of its TTL, a hit recomputes the entry once for the fleet, in the background. */
    private void maybeRefresh(Lookup l, Stamp current, Entry entry, long now, Supplier<Uni<Object>> loader) {
        if (entry.remainingMillis(now) > entry.ttlMillis() * config.earlyRefresh() || !refreshing.add(l.key())) {
            return;
        }
        metrics.earlyRefresh(l.cache());
        inBackground(
                "Early refresh",
                l,
                leases.acquire(l.id())
                        .chain(token -> token == null
                                ? Uni.createFrom().voidItem()
                                : compute(l, current, loader, token).chain(ResultCache::drain))
                        .eventually(() -> refreshing.remove(l.key())));
    }

    /**
     * For a sampled fraction of hits on whole entries, recomputes in the background and compares with what was
     * served; a difference while the stamp stayed the same is real staleness (a write that bypassed the API).
     */
    private void maybeAudit(Lookup l, Stamp current, Entry entry, Supplier<Uni<Object>> loader) {
        if (config.auditRate() <= 0
                || entry.chunkCount() > 0
                || ThreadLocalRandom.current().nextDouble() >= config.auditRate()) {
            return;
        }
        inBackground(
                "Audit",
                l,
                loader.get()
                        .chain(fresh -> find(l, null).map(after -> {
                            if (after.current().matches(current)) {
                                boolean same = Arrays.equals(writer.bytesOf(l, fresh), entry.inline());
                                metrics.audit(l.cache(), same);
                                if (!same) {
                                    LOG.infof("Audit: cached %s differs from a fresh computation", l.trace());
                                }
                            }
                            return null;
                        })));
    }

    /** Runs work nobody waits for; its failure is only worth a debug line. */
    private static void inBackground(String what, Lookup l, Uni<?> work) {
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

    private static boolean isStream(Object result) {
        return result instanceof CachedBody body && body.whole() == null;
    }

    private static Object mark(MethodPlan plan, Object value, CacheStatus status) {
        if (plan.kind != MethodPlan.Kind.UNI_BODY) {
            return value;
        }
        return (value == null ? CachedBody.absent() : (CachedBody) value).withStatus(status);
    }
}
