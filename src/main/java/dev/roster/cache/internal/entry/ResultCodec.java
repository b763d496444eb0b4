package dev.roster.cache.internal.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.cache.CacheStatus;
import dev.roster.cache.CachedBody;
import dev.roster.cache.internal.plan.Lookup;
import dev.roster.cache.internal.plan.MethodPlan;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that knows what a method's result is: a {@link CachedBody} (response bytes, possibly a stream)
 * or a value (JSON in the store). Everything else handles results as opaque objects through it.
 */
@Singleton
public class ResultCodec {

    private final EntryStore store;
    private final ObjectMapper mapper;

    public ResultCodec(EntryStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    public static boolean isBody(Lookup l) {
        return l.plan().kind == MethodPlan.Kind.UNI_BODY;
    }

    /** The result a stored entry stands for, marked with what the cache did. */
    public Uni<Object> read(Lookup l, Entry entry, CacheStatus status) {
        Object inHand = inHand(l, entry, status);
        if (inHand != null) {
            return Uni.createFrom().item(inHand);
        }
        if (isBody(l)) {
            return store.body(l, entry)
                    .map(chunks -> CachedBody.restored(
                            chunks, entry.etag(), entry.present(), entry.empty(), status, inflated(entry, chunks)));
        }
        return store.body(l, entry)
                .chain(chunks -> chunks.collect().in(Buffer::buffer, Buffer::appendBuffer))
                .map(bytes -> entry.present() ? decode(l.plan(), bytes.getBytes()) : null);
    }

    /** For a gzip-encoded entry, its body inflated as it is read; null for an identity one. */
    private static Multi<Buffer> inflated(Entry entry, Multi<Buffer> stored) {
        return entry.gzip() && entry.present() ? GzipInflation.inflate(stored) : null;
    }

    /**
     * The result an entry stands for when it needs nothing more from the store (a body held inline in its head),
     * marked with {@code status}; null when it must be {@link #read}.
     */
    public Object inHand(Lookup l, Entry entry, CacheStatus status) {
        if (!isBody(l) || entry.chunkCount() != 0) {
            return null;
        }
        Multi<Buffer> inflated = entry.gzip() && entry.present()
                ? GzipInflation.inflate(Multi.createFrom().item(() -> Buffer.buffer(entry.inline())))
                : null;
        return CachedBody.restoredWhole(entry.inline(), entry.etag(), entry.present(), entry.empty(), status, inflated);
    }

    /** A computed result marked with what the cache did (values carry no mark). */
    public static Object mark(Lookup l, Object value, CacheStatus status) {
        if (!isBody(l)) {
            return value;
        }
        return (value == null ? CachedBody.absent() : (CachedBody) value).withStatus(status);
    }

    /** Whether one computation's result can be handed to several callers (a stream can be read once). */
    public static boolean shareable(Object result) {
        return !(result instanceof CachedBody body && body.whole() == null);
    }

    /** Whether this result is a stream, stored while it flows rather than before it is answered. */
    public static boolean streamed(Lookup l, Object result) {
        return isBody(l) && result != null && ((CachedBody) result).whole() == null;
    }

    /** The stored form of a result held whole: its bytes, and whether it is present and empty. */
    public Whole whole(Lookup l, Object result) {
        if (isBody(l)) {
            CachedBody body = result == null ? CachedBody.absent() : (CachedBody) result;
            return new Whole(body.whole(), body.present(), body.empty(), body.etag());
        }
        byte[] bytes = result == null ? new byte[0] : encode(result);
        return new Whole(bytes, result != null, result == null || isEmpty(result), null);
    }

    /** A result held whole, as the store keeps it. */
    public record Whole(byte[] bytes, boolean present, boolean empty, String etag) {}

    private byte[] encode(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object decode(MethodPlan plan, byte[] bytes) {
        try {
            return mapper.readValue(bytes, mapper.getTypeFactory().constructType(plan.valueType));
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
}
