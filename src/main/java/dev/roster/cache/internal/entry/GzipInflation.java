package dev.roster.cache.internal.entry;

import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Inflates a stored gzip body on the fly for a client that does not accept gzip: each stored chunk is turned
 * into pieces of at most {@value #PIECE_BYTES} bytes, produced one per request of the subscriber, so memory is
 * one stored chunk and one piece however large the body. Reads what {@link GzipDeflation} writes (one member,
 * no optional header fields) and checks its CRC-32 and length.
 */
public final class GzipInflation {

    static final int PIECE_BYTES = 256 * 1024;

    private static final int HEADER_BYTES = 10;
    private static final int TRAILER_BYTES = 8;

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] header = new byte[HEADER_BYTES];
    private final byte[] trailer = new byte[TRAILER_BYTES];
    private int headerRead;
    private int trailerRead;
    private long outputBytes;

    private GzipInflation() {}

    /** The identity body of a gzip stream, inflated as the subscriber asks for it. */
    public static Multi<Buffer> inflate(Multi<Buffer> gzip) {
        return Multi.createFrom().deferred(() -> {
            GzipInflation state = new GzipInflation();
            return gzip.onItem()
                    .transformToMultiAndConcatenate(chunk -> Multi.createFrom().iterable(() -> state.pieces(chunk)))
                    .onCompletion()
                    .invoke(state::checkComplete)
                    .onTermination()
                    .invoke(state.inflater::end);
        });
    }

    /** A whole gzip body held in memory (an inline entry), inflated at once. */
    public static byte[] inflate(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("a stored gzip body is corrupt", e);
        }
    }

    /** The pieces one stored chunk inflates to, each made when the iterator is asked for it. */
    private Iterator<Buffer> pieces(Buffer chunk) {
        byte[] input = chunk.getBytes();
        int offset = readHeader(input);
        if (offset < input.length && !inflater.finished()) {
            inflater.setInput(input, offset, input.length - offset);
        } else {
            readTrailer(input, offset);
        }
        return new Iterator<>() {
            private Buffer next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = piece(input);
                }
                return next != null;
            }

            @Override
            public Buffer next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Buffer piece = next;
                next = null;
                return piece;
            }
        };
    }

    /** The next piece of output from the current input, or null when this chunk is used up. */
    private Buffer piece(byte[] input) {
        if (inflater.finished() || inflater.needsInput()) {
            return null;
        }
        byte[] out = new byte[PIECE_BYTES];
        try {
            int n = 0;
            while (n < out.length && !inflater.finished() && !inflater.needsInput()) {
                n += inflater.inflate(out, n, out.length - n);
                if (inflater.needsDictionary()) {
                    throw new ZipException("a gzip body needs a dictionary");
                }
            }
            if (inflater.finished()) {
                int rest = inflater.getRemaining();
                readTrailer(input, input.length - rest);
            }
            if (n == 0) {
                return null;
            }
            crc.update(out, 0, n);
            outputBytes += n;
            // Wrapped, not copied: the piece is written from the array it was inflated into.
            return Buffer.newInstance(io.vertx.core.buffer.Buffer.buffer(Unpooled.wrappedBuffer(out, 0, n)));
        } catch (DataFormatException | ZipException e) {
            throw new IllegalStateException("a stored gzip body is corrupt", e);
        }
    }

    /** Consumes header bytes at the start of {@code input}; returns where the deflate data begins. */
    private int readHeader(byte[] input) {
        int offset = 0;
        while (headerRead < HEADER_BYTES && offset < input.length) {
            header[headerRead++] = input[offset++];
        }
        if (headerRead == HEADER_BYTES && offset > 0) {
            if ((header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b || header[2] != 8 || header[3] != 0) {
                throw new IllegalStateException("a stored body is not gzip as this cache writes it");
            }
        }
        return offset;
    }

    private void readTrailer(byte[] input, int from) {
        for (int i = from; i < input.length && trailerRead < TRAILER_BYTES; i++) {
            trailer[trailerRead++] = input[i];
        }
    }

    private void checkComplete() {
        long storedCrc = littleEndian(0);
        long storedLength = littleEndian(4);
        if (!inflater.finished()
                || trailerRead < TRAILER_BYTES
                || storedCrc != crc.getValue()
                || storedLength != (outputBytes & 0xffffffffL)) {
            throw new IllegalStateException("a stored gzip body is cut short or corrupt");
        }
    }

    private long littleEndian(int at) {
        long value = 0;
        for (int i = 3; i >= 0; i--) {
            value = (value << 8) | (trailer[at + i] & 0xff);
        }
        return value;
    }
}
