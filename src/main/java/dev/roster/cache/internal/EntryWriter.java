package dev.roster.cache.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.cache.CachedBody;
import dev.roster.cache.RosterCacheConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stores entries: the head (with the stamp observed before computing) written last, chunks first, every key
 * with a TTL. An entry lives its jittered TTL plus the stale grace in Redis; its head says when it stops
 * being fresh.
 */
@ApplicationScoped
public class EntryWriter {

    private final RedisStore store;
    private final RedisKeys keys;
    private final GenerationStore generations;
    private final CacheMetrics metrics;
    private final ObjectMapper mapper;
    private final RosterCacheConfig config;

    EntryWriter(
            RedisStore store,
            RedisKeys keys,
            GenerationStore generations,
            CacheMetrics metrics,
            ObjectMapper mapper,
            RosterCacheConfig config) {
        this.store = store;
        this.keys = keys;
        this.generations = generations;
        this.metrics = metrics;
        this.mapper = mapper;
        this.config = config;
    }

    /** Stores a plain value (JSON) under the stamp; emits whether it was stored. */
    Uni<Boolean> value(Lookup l, Stamp stamp, Object value, long loadNanos) {
        byte[] bytes = value == null ? new byte[0] : encode(value);
        return whole(l, stamp, bytes, value != null, value == null || isEmpty(value), null, loadNanos);
    }

    /** Stores a body held in memory; emits whether it was stored. */
    Uni<Boolean> body(Lookup l, Stamp stamp, CachedBody body, long loadNanos) {
        return whole(l, stamp, body.whole(), body.present(), body.empty(), body.etag(), loadNanos);
    }

    /**
     * Tees a streamed body into chunks as it flows; {@code done} runs when the stream ends, however it ends,
     * with whether the entry was stored.
     */
    Multi<Buffer> stream(Lookup l, Stamp stamp, CachedBody body, java.util.function.Consumer<Boolean> done) {
        long ttl =
                jittered(body.empty() ? l.settings().emptyTtl() : l.settings().ttl());
        long keep = ttl + config.staleGrace().toMillis();
        String loadId = newLoadId();
        long started = System.currentTimeMillis();
        long[] total = {0};
        ChunkSink sink = new ChunkSink(
                store,
                new ChunkSink.StoreTarget(
                        config.chunkBytes(),
                        config.maxValueBytes(),
                        2 * keep,
                        generations.refreshRequests(l.tags(), keep)),
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
                        keep)))
                .onTermination()
                .invoke((failure, cancelled) -> done.accept(failure == null && !cancelled && sink.stored()));
    }

    private Uni<Boolean> whole(
            Lookup l, Stamp stamp, byte[] bytes, boolean present, boolean empty, String etag, long loadNanos) {
        long ttl = jittered(empty ? l.settings().emptyTtl() : l.settings().ttl());
        long keep = ttl + config.staleGrace().toMillis();
        String loadId = newLoadId();
        boolean inline = bytes.length <= config.maxValueBytes();
        List<Request> chunkWrites = new ArrayList<>();
        int chunkCount = 0;
        if (!inline) {
            for (int from = 0; from < bytes.length; from += config.maxValueBytes()) {
                byte[] slice = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + config.maxValueBytes()));
                chunkWrites.add(set(keys.chunk(l.id(), loadId, chunkCount++), slice, 2 * keep));
            }
        }
        Entry head = new Entry(
                stamp,
                present,
                empty,
                System.currentTimeMillis(),
                ttl,
                loadNanos / 1000,
                etag,
                loadId,
                chunkCount,
                bytes.length,
                inline ? bytes : null);
        List<Request> headWrite = new ArrayList<>();
        headWrite.add(set(l.key(), head.encode(), keep));
        headWrite.addAll(generations.refreshRequests(l.tags(), keep));
        Uni<?> chunks = chunkWrites.isEmpty() ? Uni.createFrom().voidItem() : store.batchForChunks(chunkWrites);
        return chunks.chain(() -> store.batch(headWrite))
                .replaceWith(true)
                .onFailure()
                .recoverWithItem(e -> {
                    metrics.error(l.cache(), "store");
                    return false;
                });
    }

    /** The longest an entry of {@code l} can live in Redis: its longest jittered TTL plus the stale grace. */
    long longestKeep(Lookup l) {
        return Math.round(l.settings().ttl().toMillis() * (1 + config.jitter()))
                + config.staleGrace().toMillis();
    }

    /** The bytes an entry for {@code result} would hold (for audits); empty for a stream. */
    byte[] bytesOf(Lookup l, Object result) {
        if (l.plan().kind != MethodPlan.Kind.UNI_BODY) {
            return result == null ? new byte[0] : encode(result);
        }
        CachedBody body = (CachedBody) result;
        return body == null || body.whole() == null ? new byte[0] : body.whole();
    }

    private byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
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
