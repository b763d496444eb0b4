package dev.roster.cache.internal.redis;

import dev.roster.cache.RosterCacheConfig;
import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.entry.EntryDraft;
import dev.roster.cache.internal.entry.GzipDeflation;
import dev.roster.cache.internal.entry.GzipTee;
import dev.roster.cache.internal.entry.ResultCodec;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Entry bodies in Redis: inline in the head when they fit one value, else chunks under a load id with the
 * head written last (an entry is whole or absent), read back one {@code MGET} window at a time as the client
 * consumes them, the next window fetched while the current one is written (memory: two windows). Response
 * bodies ({@link dev.roster.cache.CachedBody}) of at least {@code roster.cache.gzip-min-bytes} are stored as
 * one gzip stream, so that a hit can be sent with {@code Content-Encoding: gzip} as stored.
 */
@Singleton
public class RedisBodies {

    private final RedisStore redis;
    private final RedisKeys keys;
    private final RosterCacheConfig config;

    RedisBodies(RedisStore redis, RedisKeys keys, RosterCacheConfig config) {
        this.redis = redis;
        this.keys = keys;
        this.config = config;
    }

    /** Requests that keep each generation alive at least {@code keepMillis}, as long as a new entry. */
    List<Request> refreshRequests(List<Tag> tags, long keepMillis) {
        List<Request> requests = new ArrayList<>(tags.size());
        for (Tag tag : tags) {
            requests.add(redis.script(Script.EXTEND, keys.generation(tag), keepMillis));
        }
        return requests;
    }

    /** Chunks first (if the body is too big for one value), then the head with {@code after} in one pipeline. */
    Uni<Boolean> storeWhole(Lookup l, EntryDraft draft, byte[] body, List<Request> after) {
        String loadId = newLoadId();
        boolean gzip = ResultCodec.isBody(l) && draft.present() && body.length >= config.gzipMinBytes();
        byte[] bytes = gzip ? GzipDeflation.compress(body) : body;
        boolean inline = bytes.length <= config.maxValueBytes();
        List<Request> chunkWrites = new ArrayList<>();
        int chunkCount = 0;
        if (!inline) {
            for (int from = 0; from < bytes.length; from += config.maxValueBytes()) {
                byte[] slice = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + config.maxValueBytes()));
                chunkWrites.add(set(keys.chunk(l.id(), loadId, chunkCount++), slice, 2 * draft.keepMillis()));
            }
        }
        Entry head = draft.head(loadId, chunkCount, bytes.length, inline ? bytes : null, draft.loadMicros(), gzip);
        List<Request> headWrite = new ArrayList<>();
        headWrite.add(set(keys.entry(l.cache(), l.id()), head.encode(), draft.keepMillis()));
        headWrite.addAll(after);
        Uni<?> chunks = chunkWrites.isEmpty() ? Uni.createFrom().voidItem() : redis.batchForChunks(chunkWrites);
        return chunks.chain(() -> redis.batch(headWrite))
                .replaceWith(true)
                .onFailure()
                .recoverWithItem(false);
    }

    /**
     * Tees a stream into chunks as it flows (compressed once the threshold went by; the client still gets the
     * stream as it is); {@code done} learns, however the stream ends, if it was stored.
     */
    Multi<Buffer> storeStream(Lookup l, EntryDraft draft, Multi<Buffer> body, Consumer<Boolean> done) {
        String loadId = newLoadId();
        long[] total = {0};
        GzipTee tee = new GzipTee(ResultCodec.isBody(l) ? config.gzipMinBytes() : Long.MAX_VALUE);
        ChunkSink sink = new ChunkSink(
                redis,
                new ChunkSink.StoreTarget(
                        config.chunkBytes(),
                        config.maxValueBytes(),
                        2 * draft.keepMillis(),
                        refreshRequests(l.tags(), draft.keepMillis())),
                i -> keys.chunk(l.id(), loadId, i));
        return body.onItem()
                .call(buffer -> store(sink, tee, () -> tee.accept(buffer), total))
                .onCompletion()
                .call(() -> store(sink, tee, tee::finish, total)
                        .chain(() -> sink.finish(count -> {
                            long loadMicros = (System.currentTimeMillis() - draft.createdAtMillis()) * 1000;
                            Entry head = draft.head(loadId, count, total[0], null, loadMicros, tee.gzip());
                            return set(keys.entry(l.cache(), l.id()), head.encode(), draft.keepMillis());
                        })))
                .onTermination()
                .invoke((failure, cancelled) -> {
                    if (failure != null || cancelled) {
                        tee.end();
                    }
                    done.accept(failure == null && !cancelled && sink.stored());
                });
    }

    /** Stores what the tee lets out, unless storing already failed (then nothing more is compressed). */
    private static Uni<Void> store(ChunkSink sink, GzipTee tee, Supplier<Buffer> next, long[] total) {
        if (!sink.stored()) {
            tee.end();
            return Uni.createFrom().voidItem();
        }
        Buffer stored = next.get();
        total[0] += stored.length();
        return stored.length() == 0 ? Uni.createFrom().voidItem() : sink.accept(stored);
    }

    /**
     * The chunks of an entry, one window of {@code MGET} at a time, the next window asked for as soon as the
     * current one starts to be written (memory: two windows). The first window is fetched before this emits,
     * so a broken entry fails early. The reply buffers are handed on as the client parsed them, not copied.
     */
    Uni<Multi<Buffer>> body(Lookup l, Entry entry) {
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
            WindowsAhead ahead = new WindowsAhead(l, entry, windows);
            Multi<Buffer> rest = Multi.createFrom()
                    .range(1, windows)
                    .onItem()
                    .transformToUniAndConcatenate(ahead::take)
                    .onItem()
                    .transformToIterable(list -> list);
            return Multi.createBy()
                    .concatenating()
                    .streams(Multi.createFrom().iterable(first).onRequest().invoke(ahead::start), rest);
        });
    }

    /**
     * The window after the one being written, already on its way. A prefetch that fails keeps its failure
     * (the head is dropped by then) until the stream reaches it; one nobody reaches is dropped.
     */
    private final class WindowsAhead {

        private final Lookup l;
        private final Entry entry;
        private final int windows;
        private final AtomicBoolean started = new AtomicBoolean();
        private volatile Uni<List<Buffer>> next;

        WindowsAhead(Lookup l, Entry entry, int windows) {
            this.l = l;
            this.entry = entry;
            this.windows = windows;
        }

        /** Fetches the second window once the first is asked for (not for a body that is only discarded). */
        void start() {
            if (started.compareAndSet(false, true)) {
                prefetch(1);
            }
        }

        private void prefetch(int index) {
            if (index >= windows) {
                next = null;
                return;
            }
            Uni<List<Buffer>> fetch = fetchWindow(l, entry, index).memoize().indefinitely();
            fetch.subscribe().with(ignored -> {}, ignored -> {});
            next = fetch;
        }

        /** Window {@code index} (the one prefetched), after starting the fetch of the one after it. */
        Uni<List<Buffer>> take(int index) {
            start();
            Uni<List<Buffer>> current = next;
            prefetch(index + 1);
            return current;
        }
    }

    private Uni<List<Buffer>> fetchWindow(Lookup l, Entry entry, int index) {
        int window = config.chunkWindow();
        int from = index * window;
        int to = Math.min(entry.chunkCount(), from + window);
        Request mget = Request.cmd(Command.MGET);
        for (int i = from; i < to; i++) {
            mget.arg(keys.chunk(l.id(), entry.loadId(), i));
        }
        return redis.batchForChunks(List.of(mget)).chain(responses -> {
            List<Buffer> chunks = new ArrayList<>(to - from);
            for (Response r : responses.get(0)) {
                if (r == null) {
                    return dropHead(l, entry).chain(() -> Uni.createFrom().failure(new MissingChunkException(l)));
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
        return redis.send(redis.script(Script.DELETE_IF_SAME, keys.entry(l.cache(), l.id()), entry.encode()))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    private static Request set(String key, byte[] value, long ttlMillis) {
        return Request.cmd(Command.SET).arg(key).arg(value).arg("PX").arg(ttlMillis);
    }

    private static String newLoadId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A chunk of a stored entry is gone (evicted or expired before its head). */
    public static final class MissingChunkException extends IllegalStateException {
        MissingChunkException(Lookup l) {
            super("a chunk of cache entry " + l.trace() + " is gone");
        }
    }
}
