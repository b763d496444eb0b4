package dev.roster.cache.internal.entry;

import io.vertx.mutiny.core.buffer.Buffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a body into one gzip member (RFC 1952) as its buffers go by, so that the concatenation of what
 * {@link #deflate} and {@link #finish} return is a stream any HTTP client inflates as {@code Content-Encoding:
 * gzip}. Deflate level 1: a listing shrinks about twelvefold, at several hundred MB/s. Not thread-safe; one
 * instance per body, which must be {@link #finish finished} or {@link #end ended} to free native memory.
 */
public final class GzipDeflation {

    /** The fixed header: magic, CM=deflate, no flags, no mtime, XFL=fastest, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 4, (byte) 255};

    private static final int OUT_BYTES = 64 * 1024;

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final CRC32 crc = new CRC32();
    private final byte[] out = new byte[OUT_BYTES];
    private boolean headerWritten;
    private long inputBytes;

    /** The compressed bytes that {@code input} lets out now (possibly none: deflate holds back a block). */
    public Buffer deflate(Buffer input) {
        byte[] bytes = input.getBytes();
        crc.update(bytes);
        inputBytes += bytes.length;
        deflater.setInput(bytes);
        Buffer result = start();
        while (!deflater.needsInput()) {
            drain(result);
        }
        return result;
    }

    /** The rest of the stream: what deflate held back, then the trailer (CRC-32 and length). */
    public Buffer finish() {
        Buffer result = start();
        deflater.finish();
        while (!deflater.finished()) {
            drain(result);
        }
        deflater.end();
        result.appendIntLE((int) crc.getValue());
        result.appendIntLE((int) inputBytes);
        return result;
    }

    /** Frees the native memory of a stream that will not be finished (it failed or was cancelled). */
    public void end() {
        deflater.end();
    }

    /** A whole body, compressed at once. */
    public static byte[] compress(byte[] body) {
        GzipDeflation gzip = new GzipDeflation();
        Buffer all = gzip.deflate(Buffer.buffer(body));
        all.appendBuffer(gzip.finish());
        return all.getBytes();
    }

    private Buffer start() {
        Buffer result = Buffer.buffer();
        if (!headerWritten) {
            headerWritten = true;
            result.appendBytes(HEADER);
        }
        return result;
    }

    private void drain(Buffer result) {
        int n = deflater.deflate(out, 0, out.length, Deflater.NO_FLUSH);
        if (n > 0) {
            result.appendBytes(out, 0, n);
        }
    }
}
