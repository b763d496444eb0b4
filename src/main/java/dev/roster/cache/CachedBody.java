package dev.roster.cache;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * An HTTP response body as the cache keeps it: bytes, never objects, so that a hit is written out without
 * decoding. Either whole in memory ({@link #of}) with a content-derived entity tag, or a stream of chunks
 * ({@link #streamed}) with an entity tag naming that one load, or {@link #absent()} (a cacheable "not
 * found").
 *
 * <p>A body read back from the cache may be {@link #gzip() gzip-encoded} as it was stored: {@link #identity()}
 * is then the same body inflated on the fly, and {@link #gzipTag()} the entity tag of the encoded
 * representation. A body computed by the application is always identity.
 */
public final class CachedBody {

    private static final int TAG_BYTES = 16;

    private final Multi<Buffer> chunks;
    private final byte[] whole;
    private final String etag;
    private final boolean present;
    private final boolean empty;
    private final CacheStatus status;
    /** When the chunks are gzip-encoded: the same body inflated as it is read (lazy, like every Multi); else null. */
    private final Multi<Buffer> inflated;
    /** Response headers rendered with the answer, as name, value, name, value...; null when none. */
    private final CharSequence[] headers;

    private CachedBody(
            Multi<Buffer> chunks,
            byte[] whole,
            String etag,
            boolean present,
            boolean empty,
            CacheStatus status,
            Multi<Buffer> inflated,
            CharSequence[] headers) {
        this.chunks = chunks;
        this.whole = whole;
        this.etag = etag;
        this.present = present;
        this.empty = empty;
        this.status = status;
        this.inflated = inflated;
        this.headers = headers;
    }

    /** A body held whole; {@code empty} marks an answer with no data (cached with the shorter empty TTL). */
    public static CachedBody of(byte[] bytes, boolean empty) {
        return new CachedBody(null, bytes, contentTag(bytes), true, empty, null, null, null);
    }

    /** A body produced as a stream; never held whole, neither here nor in Redis (it is stored in chunks). */
    public static CachedBody streamed(Multi<Buffer> chunks, boolean empty) {
        return new CachedBody(chunks, null, loadTag(), true, empty, null, null, null);
    }

    /** "Nothing there": cached like any answer, with the empty TTL. */
    public static CachedBody absent() {
        return new CachedBody(null, new byte[0], null, false, true, null, null, null);
    }

    /**
     * Rebuilds a body read back from the cache; for the cache's own use. {@code inflated} is null for an identity
     * body, else the same body inflated as it is read, the chunks being gzip-encoded as stored.
     */
    public static CachedBody restored(
            Multi<Buffer> chunks,
            String etag,
            boolean present,
            boolean empty,
            CacheStatus status,
            Multi<Buffer> inflated) {
        return new CachedBody(chunks, null, etag, present, empty, status, inflated, null);
    }

    /**
     * Rebuilds a body that was stored in one value (no chunks): held whole, so that it is sent in one write with
     * {@code Content-Length}; for the cache's own use.
     */
    public static CachedBody restoredWhole(
            byte[] bytes, String etag, boolean present, boolean empty, CacheStatus status, Multi<Buffer> inflated) {
        return new CachedBody(null, present ? bytes : new byte[0], etag, present, empty, status, inflated, null);
    }

    /**
     * This body with response headers rendered for it (name, value, ...), written by the body writer with the body:
     * an answer that needs no header map of its own.
     */
    public CachedBody withHeaders(CharSequence... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("headers come as name, value pairs");
        }
        return new CachedBody(chunks, whole, etag, present, empty, status, inflated, namesAndValues);
    }

    /** Headers to write with the body (name, value, ...), or null. */
    public CharSequence[] headers() {
        return headers;
    }

    public CachedBody withStatus(CacheStatus newStatus) {
        return new CachedBody(chunks, whole, etag, present, empty, newStatus, inflated, null);
    }

    /** The same identity body with its chunks replaced (a stream observed as it flows). */
    public CachedBody withChunks(Multi<Buffer> newChunks) {
        if (inflated != null) {
            throw new IllegalStateException("the chunks of a gzip-encoded body are the stored ones");
        }
        return new CachedBody(newChunks, null, etag, present, empty, status, null, null);
    }

    /**
     * This body without content coding: itself when it is identity, else its chunks inflated as they are
     * written (a stream, whatever the stored size: never inflated whole in memory).
     */
    public CachedBody identity() {
        if (inflated == null) {
            return this;
        }
        return new CachedBody(inflated, null, etag, present, empty, status, null, null);
    }

    /** Whether the chunks are one gzip stream (as stored), to be sent with {@code Content-Encoding: gzip}. */
    public boolean gzip() {
        return inflated != null;
    }

    /** The entity tag of the gzip representation, without quotes: distinct from the identity one. */
    public String gzipTag() {
        return etag == null ? null : etag + "-gzip";
    }

    /** The body as chunks: a stream, or a whole body as one chunk (made when asked: a hit is written whole). */
    public Multi<Buffer> chunks() {
        if (chunks != null) {
            return chunks;
        }
        return present
                ? Multi.createFrom().item(() -> Buffer.buffer(whole))
                : Multi.createFrom().empty();
    }

    /**
     * Declares that the chunks will never be read (a 304, a client that went away): a stream is subscribed and
     * cancelled at once, so that whatever it holds (a computation's fleet lease, a database cursor) is released
     * now rather than when it times out. Every answer that does not send the body must call this.
     */
    public void discard() {
        if (whole == null) {
            chunks.subscribe().with(subscription -> subscription.cancel(), ignored -> {}, ignored -> {}, () -> {});
        }
    }

    /** The whole body when it is held in memory, else null (a stream). */
    public byte[] whole() {
        return whole;
    }

    /** The entity tag without quotes, or null when absent. */
    public String etag() {
        return etag;
    }

    public boolean present() {
        return present;
    }

    public boolean empty() {
        return empty;
    }

    /** What the cache did; null only when the method ran without the interceptor. */
    public CacheStatus status() {
        return status;
    }

    private static String contentTag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "c" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, TAG_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String loadTag() {
        return "l" + UUID.randomUUID().toString().replace("-", "");
    }
}
