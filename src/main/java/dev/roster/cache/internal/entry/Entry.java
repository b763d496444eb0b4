package dev.roster.cache.internal.entry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The head of a cache entry, as stored in its Redis value: the stamp it is valid for, timing, the entity tag
 * and either the whole body (inline) or the number of chunks stored under the entry's load id. A body is stored
 * as is or, when {@code gzip}, as one gzip stream (inline, or cut across the chunks) that a client accepting
 * gzip is sent unchanged; {@code totalLength} counts the stored bytes.
 *
 * <p>Binary layout, all big-endian: magic {@code RC}, format byte, flags, epoch, tag count, generations,
 * created-at millis, TTL millis, load micros, entity tag, load id, chunk count, total length, inline length,
 * inline bytes.
 */
public record Entry(
        Stamp stamp,
        boolean present,
        boolean empty,
        long createdAtMillis,
        long ttlMillis,
        long loadMicros,
        String etag,
        String loadId,
        int chunkCount,
        long totalLength,
        byte[] inline,
        boolean gzip) {

    private static final int MAGIC = ('R' << 8) | 'C';
    private static final int FORMAT = 2;
    private static final int PRESENT = 1;
    private static final int EMPTY = 2;
    private static final int GZIP = 4;

    public long remainingMillis(long now) {
        return createdAtMillis + ttlMillis - now;
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (inline == null ? 0 : inline.length));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeShort(MAGIC);
            out.writeByte(FORMAT);
            out.writeByte((present ? PRESENT : 0) | (empty ? EMPTY : 0) | (gzip ? GZIP : 0));
            out.writeLong(stamp.epoch());
            out.writeInt(stamp.generations().length);
            for (long g : stamp.generations()) {
                out.writeLong(g);
            }
            out.writeLong(createdAtMillis);
            out.writeLong(ttlMillis);
            out.writeLong(loadMicros);
            out.writeUTF(etag == null ? "" : etag);
            out.writeUTF(loadId);
            out.writeInt(chunkCount);
            out.writeLong(totalLength);
            byte[] body = inline == null ? new byte[0] : inline;
            out.writeInt(body.length);
            out.write(body);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes an entry, or returns null for bytes of another format (they are then treated as a miss). */
    public static Entry decode(byte[] value) {
        return decode(ByteBuffer.wrap(value));
    }

    /**
     * Decodes an entry from a view of the stored value (a Redis reply's buffer, not copied first); only the
     * inline body is copied out. Null for bytes of another format.
     */
    public static Entry decode(ByteBuffer value) {
        try {
            ByteBuffer in = value.duplicate().order(ByteOrder.BIG_ENDIAN);
            if ((in.getShort() & 0xffff) != MAGIC || (in.get() & 0xff) != FORMAT) {
                return null;
            }
            int flags = in.get() & 0xff;
            long epoch = in.getLong();
            long[] generations = new long[in.getInt()];
            for (int i = 0; i < generations.length; i++) {
                generations[i] = in.getLong();
            }
            long created = in.getLong();
            long ttl = in.getLong();
            long loadMicros = in.getLong();
            String etag = utf(in);
            String loadId = utf(in);
            int chunks = in.getInt();
            long total = in.getLong();
            byte[] inline = new byte[in.getInt()];
            in.get(inline);
            return new Entry(
                    new Stamp(epoch, generations),
                    (flags & PRESENT) != 0,
                    (flags & EMPTY) != 0,
                    created,
                    ttl,
                    loadMicros,
                    etag.isEmpty() ? null : etag,
                    loadId,
                    chunks,
                    total,
                    inline,
                    (flags & GZIP) != 0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A string as {@link DataOutputStream#writeUTF} wrote it (modified UTF-8 behind a two-byte length). */
    private static String utf(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort() & 0xffff];
        in.get(bytes);
        for (byte b : bytes) {
            if (b <= 0) {
                try {
                    ByteArrayOutputStream framed = new ByteArrayOutputStream(bytes.length + 2);
                    new DataOutputStream(framed).writeShort(bytes.length);
                    framed.write(bytes);
                    return new DataInputStream(new ByteArrayInputStream(framed.toByteArray())).readUTF();
                } catch (IOException e) {
                    throw new IllegalArgumentException("not modified UTF-8", e);
                }
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
