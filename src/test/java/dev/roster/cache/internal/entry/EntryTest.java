package dev.roster.cache.internal.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The entry format: what is encoded is decoded, from an array or from a view into a larger buffer. */
class EntryTest {

    private static Entry sample(String etag, String loadId) {
        return new Entry(
                new Stamp(7L, new long[] {11L, 13L}),
                true,
                false,
                1_700_000_000_000L,
                60_000L,
                1234L,
                etag,
                loadId,
                0,
                5,
                "hello".getBytes(StandardCharsets.UTF_8),
                true);
    }

    private static void assertSame(Entry expected, Entry actual) {
        assertEquals(expected.stamp(), actual.stamp());
        assertEquals(expected.present(), actual.present());
        assertEquals(expected.empty(), actual.empty());
        assertEquals(expected.createdAtMillis(), actual.createdAtMillis());
        assertEquals(expected.ttlMillis(), actual.ttlMillis());
        assertEquals(expected.loadMicros(), actual.loadMicros());
        assertEquals(expected.etag(), actual.etag());
        assertEquals(expected.loadId(), actual.loadId());
        assertEquals(expected.chunkCount(), actual.chunkCount());
        assertEquals(expected.totalLength(), actual.totalLength());
        assertArrayEquals(expected.inline(), actual.inline());
        assertEquals(expected.gzip(), actual.gzip());
    }

    @Test
    void shouldDecodeWhatItEncodes() {
        Entry entry = sample("cAbC-_123", "l0123abcd");
        assertSame(entry, Entry.decode(entry.encode()));
    }

    @Test
    void shouldDecodeFromAViewIntoALargerBuffer() {
        Entry entry = sample("cAbC-_123", "l0123abcd");
        byte[] encoded = entry.encode();
        ByteBuffer around = ByteBuffer.allocate(encoded.length + 20);
        around.position(7);
        around.put(encoded);
        ByteBuffer view = around.position(7).limit(7 + encoded.length).slice();
        assertSame(entry, Entry.decode(view));
        assertEquals(0, view.position(), "the caller's view is not moved");
    }

    @Test
    void shouldDecodeStringsBeyondAscii() {
        Entry entry = sample("tag-é", "load-\u0000-ü");
        assertSame(entry, Entry.decode(entry.encode()));
    }

    @Test
    void shouldReadOtherBytesAsNoEntry() {
        assertNull(Entry.decode("not an entry".getBytes(StandardCharsets.UTF_8)));
        assertNull(Entry.decode(new byte[0]));
        byte[] cut = sample("e", "l").encode();
        assertNull(Entry.decode(java.util.Arrays.copyOf(cut, cut.length - 3)));
    }
}
