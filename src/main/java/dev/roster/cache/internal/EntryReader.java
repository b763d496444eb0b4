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
     * The chunks of an entry. The first window is fetched before this emits, so a broken entry fails early;
     * while one window is being written out the next one is already on its way (two windows in flight at
     * most), so Redis round trips overlap with the client's reading.
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
        List<Uni<List<Buffer>>> fetches = new ArrayList<>(windows);
        for (int w = 0; w < windows; w++) {
            int index = w;
            fetches.add(Uni.createFrom()
                    .deferred(() -> fetchWindow(l, entry, index))
                    .memoize()
                    .indefinitely());
        }
        return ahead(fetches, 0).map(first -> {
            Multi<Buffer> rest = Multi.createFrom()
                    .range(1, windows)
                    .onItem()
                    .transformToUniAndConcatenate(w -> ahead(fetches, w))
                    .onItem()
                    .transformToIterable(list -> list);
            return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(first), rest);
        });
    }

    /**
     * Window {@code w}, having started the fetch of window {@code w + 1}; the list lets go of window {@code w}
     * so that a window's bytes are only held until they are written (memory stays at two windows).
     */
    private static Uni<List<Buffer>> ahead(List<Uni<List<Buffer>>> fetches, int w) {
        if (w + 1 < fetches.size()) {
            fetches.get(w + 1).subscribe().with(ignored -> {}, ignored -> {});
        }
        return fetches.set(w, null);
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
        return store.batchForChunks(List.of(mget)).map(responses -> {
            List<Buffer> chunks = new ArrayList<>(to - from);
            for (Response r : responses.get(0)) {
                if (r == null) {
                    metrics.error(l.cache(), "chunk-missing");
                    throw new IllegalStateException("a chunk of cache entry " + l.trace() + " is gone");
                }
                chunks.add(r.toBuffer());
            }
            return chunks;
        });
    }

    private Object decode(MethodPlan plan, byte[] bytes) {
        try {
            return mapper.readValue(bytes, mapper.getTypeFactory().constructType(plan.valueType));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
