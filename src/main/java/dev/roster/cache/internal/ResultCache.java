package dev.roster.cache.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.cache.CacheStatus;
import dev.roster.cache.CachedBody;
import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The decorator itself: key, look in Redis, else compute and store; done so that a hit costs one round trip
 * (entry, epoch and tag generations in one pipeline), entries are only accepted with the current stamp, no
 * Redis connection is held while computing, failures are never stored, and Redis errors are misses.
 */
@ApplicationScoped
public class ResultCache {

    private final RedisStore store;
    private final RedisKeys keys;
    private final GenerationStore generations;
    private final CacheMetrics metrics;
    private final RosterCacheConfig config;
    private final ObjectMapper mapper;
    private final Map<MethodPlan, Settings> settings = new ConcurrentHashMap<>();

    /** Effective settings of one method. */
    record Settings(boolean enabled, Duration ttl, Duration emptyTtl) {}

    /** One request's view of one entry. */
    private record Lookup(MethodPlan plan, String id, String key, List<Tag> tags, Settings settings) {}

    ResultCache(
            RedisStore store,
            RedisKeys keys,
            GenerationStore generations,
            CacheMetrics metrics,
            RosterCacheConfig config,
            ObjectMapper mapper) {
        this.store = store;
        this.keys = keys;
        this.generations = generations;
        this.metrics = metrics;
        this.config = config;
        this.mapper = mapper;
    }

    Uni<Object> get(MethodPlan plan, Object[] args, Supplier<Uni<Object>> loader) {
        Settings s = settingsOf(plan);
        if (!s.enabled()) {
            metrics.bypass(plan.cache);
            return loader.get().map(v -> mark(plan, v, CacheStatus.bypass("disabled")));
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

    Settings settingsOf(MethodPlan plan) {
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
            boolean enabled = method.flatMap(RosterCacheConfig.CacheSettings::enabled)
                    .or(() -> cache.flatMap(RosterCacheConfig.CacheSettings::enabled))
                    .orElse(true);
            return new Settings(enabled, ttl, emptyTtl.compareTo(ttl) < 0 ? emptyTtl : ttl);
        });
    }

    private Uni<Object> withoutRedis(Lookup l, Supplier<Uni<Object>> loader) {
        metrics.fallback(l.plan().cache);
        metrics.bypass(l.plan().cache);
        return timedLoad(l, loader).map(v -> mark(l.plan(), v, CacheStatus.bypass("redis-unavailable")));
    }

    private Uni<Object> lookup(Lookup l, Supplier<Uni<Object>> loader) {
        List<Request> requests = new ArrayList<>(l.tags().size() + 2);
        requests.add(Request.cmd(Command.GET).arg(l.key()));
        requests.addAll(generations.stampRequests(l.tags()));
        return store.batch(requests)
                .onFailure()
                .recoverWithItem(e -> {
                    metrics.error(l.plan().cache, "lookup");
                    return null;
                })
                .chain(responses -> {
                    if (responses == null) {
                        return withoutRedis(l, loader);
                    }
                    Stamp current =
                            GenerationStore.stampOf(responses, 1, l.tags().size());
                    Response head = responses.get(0);
                    Entry entry = head == null ? null : Entry.decode(head.toBytes());
                    long now = System.currentTimeMillis();
                    if (entry != null && entry.stamp().matches(current) && entry.remainingMillis(now) > 0) {
                        return hit(l, entry, now).onFailure().recoverWithUni(e -> miss(l, current, loader));
                    }
                    return miss(l, current, loader);
                });
    }

    private Uni<Object> hit(Lookup l, Entry entry, long now) {
        long ttlLeft = (entry.remainingMillis(now) + 999) / 1000;
        if (l.plan().kind == MethodPlan.Kind.UNI_BODY) {
            return bodyOf(l, entry).map(chunks -> {
                metrics.hit(l.plan().cache);
                return CachedBody.restored(
                        chunks, entry.etag(), entry.present(), entry.empty(), CacheStatus.hit(ttlLeft));
            });
        }
        return wholeBytes(l, entry).map(bytes -> {
            metrics.hit(l.plan().cache);
            return entry.present() ? decode(l.plan(), bytes) : null;
        });
    }

    private Uni<Object> miss(Lookup l, Stamp stamp, Supplier<Uni<Object>> loader) {
        metrics.miss(l.plan().cache);
        return timedLoad(l, loader).chain(result -> store(l, stamp, result));
    }

    private Uni<Object> timedLoad(Lookup l, Supplier<Uni<Object>> loader) {
        long start = System.nanoTime();
        return loader.get().invoke(() -> metrics.load(l.plan().cache, System.nanoTime() - start));
    }

    private Uni<Object> store(Lookup l, Stamp stamp, Object result) {
        if (l.plan().kind != MethodPlan.Kind.UNI_BODY) {
            byte[] bytes = result == null ? new byte[0] : encode(result);
            boolean empty = result == null || isEmpty(result);
            return storeWhole(l, stamp, bytes, result != null, empty, null).replaceWith(result);
        }
        CachedBody body = result == null ? CachedBody.absent() : (CachedBody) result;
        if (body.whole() != null) {
            return storeWhole(l, stamp, body.whole(), body.present(), body.empty(), body.etag())
                    .map(stored -> body.withStatus(CacheStatus.miss(stored)));
        }
        return Uni.createFrom().item(body.withChunks(tee(l, stamp, body)).withStatus(CacheStatus.miss(true)));
    }

    private Uni<Boolean> storeWhole(Lookup l, Stamp stamp, byte[] bytes, boolean present, boolean empty, String etag) {
        long ttl = jittered(empty ? l.settings().emptyTtl() : l.settings().ttl());
        String loadId = newLoadId();
        boolean inline = bytes.length <= config.maxValueBytes();
        List<Request> chunkWrites = new ArrayList<>();
        int chunkCount = 0;
        if (!inline) {
            for (int from = 0; from < bytes.length; from += config.maxValueBytes()) {
                byte[] slice = java.util.Arrays.copyOfRange(
                        bytes, from, Math.min(bytes.length, from + config.maxValueBytes()));
                chunkWrites.add(set(keys.chunk(l.id(), loadId, chunkCount++), slice, 2 * ttl));
            }
        }
        Entry head = new Entry(
                stamp,
                present,
                empty,
                System.currentTimeMillis(),
                ttl,
                0,
                etag,
                loadId,
                chunkCount,
                bytes.length,
                inline ? bytes : null);
        List<Request> headWrite = new ArrayList<>();
        headWrite.add(set(l.key(), head.encode(), ttl));
        headWrite.addAll(generations.refreshRequests(l.tags()));
        Uni<?> chunks = chunkWrites.isEmpty() ? Uni.createFrom().voidItem() : store.batchForChunks(chunkWrites);
        return chunks.chain(() -> store.batch(headWrite))
                .replaceWith(true)
                .onFailure()
                .recoverWithItem(e -> {
                    metrics.error(l.plan().cache, "store");
                    return false;
                });
    }

    private Multi<Buffer> tee(Lookup l, Stamp stamp, CachedBody body) {
        long ttl =
                jittered(body.empty() ? l.settings().emptyTtl() : l.settings().ttl());
        String loadId = newLoadId();
        long started = System.currentTimeMillis();
        long[] total = {0};
        ChunkSink sink = new ChunkSink(
                store,
                new ChunkSink.StoreTarget(
                        config.chunkBytes(), config.maxValueBytes(), 2 * ttl, generations.refreshRequests(l.tags())),
                i -> keys.chunk(l.id(), loadId, i));
        return body.chunks()
                .onItem()
                .call(buffer -> {
                    total[0] += buffer.length();
                    return sink.accept(buffer);
                })
                .onCompletion()
                .call(() -> sink.finish(count -> set(
                        l.key(),
                        new Entry(
                                        stamp,
                                        true,
                                        body.empty(),
                                        started,
                                        ttl,
                                        (System.currentTimeMillis() - started) * 1000,
                                        body.etag(),
                                        loadId,
                                        count,
                                        total[0],
                                        null)
                                .encode(),
                        ttl)));
    }

    /** The chunks of an entry; the first window is fetched before this emits, so a broken entry is a miss. */
    private Uni<Multi<Buffer>> bodyOf(Lookup l, Entry entry) {
        if (entry.chunkCount() == 0) {
            return Uni.createFrom()
                    .item(
                            entry.present()
                                    ? Multi.createFrom().item(Buffer.buffer(entry.inline()))
                                    : Multi.createFrom().empty());
        }
        int window = config.chunkWindow();
        int windows = (entry.chunkCount() + window - 1) / window;
        return fetchWindow(l, entry, 0).map(first -> {
            Multi<Buffer> rest = Multi.createFrom()
                    .range(1, windows)
                    .onItem()
                    .transformToUniAndConcatenate(w -> fetchWindow(l, entry, w))
                    .onItem()
                    .transformToIterable(list -> list);
            return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(first), rest);
        });
    }

    private Uni<List<Buffer>> fetchWindow(Lookup l, Entry entry, int window) {
        int from = window * config.chunkWindow();
        int to = Math.min(entry.chunkCount(), from + config.chunkWindow());
        Request mget = Request.cmd(Command.MGET);
        for (int i = from; i < to; i++) {
            mget.arg(keys.chunk(l.id(), entry.loadId(), i));
        }
        return store.batchForChunks(List.of(mget)).map(responses -> {
            List<Buffer> chunks = new ArrayList<>(to - from);
            for (Response r : responses.get(0)) {
                if (r == null) {
                    metrics.error(l.plan().cache, "chunk-missing");
                    throw new IllegalStateException("a chunk of a cache entry expired or was evicted");
                }
                chunks.add(r.toBuffer());
            }
            return chunks;
        });
    }

    private Uni<byte[]> wholeBytes(Lookup l, Entry entry) {
        return bodyOf(l, entry)
                .chain(chunks -> chunks.collect()
                        .in(Buffer::buffer, Buffer::appendBuffer)
                        .map(Buffer::getBytes));
    }

    private byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object decode(MethodPlan plan, byte[] bytes) {
        try {
            JavaType type = mapper.getTypeFactory().constructType(plan.valueType);
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isEmpty(Object value) {
        return (value instanceof Collection<?> c && c.isEmpty())
                || (value instanceof Map<?, ?> m && m.isEmpty())
                || (value instanceof Optional<?> o && o.isEmpty())
                || (value instanceof CharSequence s && s.isEmpty());
    }

    private static Object mark(MethodPlan plan, Object value, CacheStatus status) {
        if (plan.kind != MethodPlan.Kind.UNI_BODY) {
            return value;
        }
        return (value == null ? CachedBody.absent() : (CachedBody) value).withStatus(status);
    }

    private long jittered(Duration ttl) {
        double spread = config.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Math.max(1, Math.round(ttl.toMillis() * (1 + spread)));
    }

    private static Request set(String key, byte[] value, long ttlMillis) {
        return Request.cmd(Command.SET).arg(key).arg(value).arg("PX").arg(ttlMillis);
    }

    private static String newLoadId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
