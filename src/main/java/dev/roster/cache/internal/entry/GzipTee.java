package dev.roster.cache.internal.entry;

import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The stored form of a streamed body, decided as it flows: the first {@code threshold} bytes are held back; a
 * stream that ends before them is stored as is, a longer one as one gzip stream from its first byte on. The
 * client of the stream is not concerned: it gets the identity buffers whatever is stored.
 */
public final class GzipTee {

    private final long threshold;
    private Buffer held = Buffer.buffer();
    private GzipDeflation gzip;

    /** A tee that compresses once {@code threshold} bytes went by (never, for {@link Long#MAX_VALUE}). */
    public GzipTee(long threshold) {
        this.threshold = threshold;
    }

    /** What to store for {@code item}, possibly nothing yet. */
    public Buffer accept(Buffer item) {
        if (gzip != null) {
            return gzip.deflate(item);
        }
        held.appendBuffer(item);
        if (held.length() < threshold) {
            return Buffer.buffer();
        }
        gzip = new GzipDeflation();
        Buffer out = gzip.deflate(held);
        held = null;
        return out;
    }

    /** The last bytes to store, once the stream completed. */
    public Buffer finish() {
        if (gzip == null) {
            Buffer rest = held;
            held = Buffer.buffer();
            return rest;
        }
        return gzip.finish();
    }

    /** Whether the stored bytes are gzip. */
    public boolean gzip() {
        return gzip != null;
    }

    /** Frees the compressor of a stream that failed or was cancelled. */
    public void end() {
        if (gzip != null) {
            gzip.end();
        }
    }
}
