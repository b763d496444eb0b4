package dev.roster.cache.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.cache.RosterCacheConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads entries back: inline bodies at once, chunked bodies as a stream fetched in windows of {@code MGET}s
 * (bounded memory: one window at a time), values decoded with the method's result type.
 */
@ApplicationScoped
public class EntryReader {

    static final String DROP_IF_SAME_SCRIPT =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private final RedisStore store;
    private final RedisKeys keys;
    private final CacheMetrics metrics;
    private final ObjectMapper mapper;
    private final int window;

    EntryReader(RedisStore store, RedisKeys keys, CacheMetrics metrics, ObjectMapper mapper, RosterCacheConfig config) {
        this.store = store;
        this.keys = keys;
        this.metrics = metrics;
        this.mapper = mapper;
        this.window = config.chunkWindow();
    }

    /**
     * The chunks of an entry, fetched one window of {@code MGET} at a time as the client reads (memory: one
     * window). The first window is fetched before this emits, so a broken entry fails early. (Fetching the next
     * window ahead was tried and measured: with Mutiny's concatenation it retained far more than two windows.)
     */
    Uni<Multi<Buffer>> body(Lookup l, Entry entry) {
        if (entry.chunkCount() == 0) {
            return Uni.createFrom()
                    .item(
                            entry.present()
                                    ? Multi.createFrom().item(Buffer.buffer(entry.inline()))
                                    : Multi.createFrom().empty());
        }
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

    /** A value entry decoded into the method's result type (null for a cached absence). */
    Uni<Object> value(Lookup l, Entry entry) {
        return body(l, entry)
                .chain(chunks -> chunks.collect().in(Buffer::buffer, Buffer::appendBuffer))
                .map(bytes -> entry.present() ? decode(l.plan(), bytes.getBytes()) : null);
    }

    private Uni<List<Buffer>> fetchWindow(Lookup l, Entry entry, int index) {
        int from = index * window;
        int to = Math.min(entry.chunkCount(), from + window);
        Request mget = Request.cmd(Command.MGET);
        for (int i = from; i < to; i++) {
            mget.arg(keys.chunk(l.id(), entry.loadId(), i));
        }
        return store.batchForChunks(List.of(mget)).chain(responses -> {
            List<Buffer> chunks = new ArrayList<>(to - from);
            for (Response r : responses.get(0)) {
                if (r == null) {
                    metrics.error(l.cache(), "chunk-missing");
                    return dropHead(l, entry)
                            .chain(() -> Uni.createFrom()
                                    .failure(new IllegalStateException(
                                            "a chunk of cache entry " + l.trace() + " is gone")));
                }
                chunks.add(r.toBuffer());
            }
            return Uni.createFrom().item(chunks);
        });
    }

    /**
     * Deletes the head of an entry whose chunk is gone (if it is still this entry), in whichever window the gap
     * was found: otherwise every later hit would be cut short at the same place until the head expires.
     */
    private Uni<Void> dropHead(Lookup l, Entry entry) {
        return store.send(Request.cmd(Command.EVAL)
                        .arg(DROP_IF_SAME_SCRIPT)
                        .arg(1)
                        .arg(l.key())
                        .arg(entry.encode()))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    private Object decode(MethodPlan plan, byte[] bytes) {
        try {
            return mapper.readValue(bytes, mapper.getTypeFactory().constructType(plan.valueType));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
