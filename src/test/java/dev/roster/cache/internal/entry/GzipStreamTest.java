package dev.roster.cache.internal.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The gzip streams the cache stores: what it writes is standard gzip, and it reads back its own, however cut. */
class GzipStreamTest {

    private static byte[] listing(int members) {
        StringBuilder json = new StringBuilder("{\"members\":[");
        for (int i = 0; i < members; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"m-").append(i).append("\",\"version\":1}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<Buffer> cut(byte[] bytes, int size) {
        List<Buffer> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += size) {
            pieces.add(Buffer.buffer(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size))));
        }
        return pieces;
    }

    private static byte[] inflate(List<Buffer> stored) {
        return GzipInflation.inflate(Multi.createFrom().iterable(stored))
                .collect()
                .in(Buffer::buffer, Buffer::appendBuffer)
                .await()
                .indefinitely()
                .getBytes();
    }

    @Test
    void shouldWriteWhatAStandardGzipReaderInflates() throws IOException {
        byte[] body = listing(50_000);
        GzipDeflation gzip = new GzipDeflation();
        Buffer stored = Buffer.buffer();
        for (Buffer piece : cut(body, 7_919)) {
            stored.appendBuffer(gzip.deflate(piece));
        }
        stored.appendBuffer(gzip.finish());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored.getBytes()))) {
            assertArrayEquals(body, in.readAllBytes());
        }
        assertTrue(stored.length() * 5 < body.length, "compressed: " + stored.length());
    }

    @Test
    void shouldInflateItsOwnStreamWhateverTheChunkBoundaries() {
        byte[] body = listing(5_000);
        byte[] stored = GzipDeflation.compress(body);
        for (int size : new int[] {1, 3, 9, 10, 11, 17, 4096, stored.length - 4, stored.length}) {
            assertArrayEquals(body, inflate(cut(stored, size)), "chunks of " + size);
        }
        assertArrayEquals(new byte[0], inflate(cut(GzipDeflation.compress(new byte[0]), 5)));
    }

    @Test
    void shouldFailOnACutOrCorruptStream() {
        byte[] stored = GzipDeflation.compress(listing(5_000));
        byte[] cutShort = Arrays.copyOf(stored, stored.length - 3);
        assertThrows(IllegalStateException.class, () -> inflate(cut(cutShort, 1024)));
        byte[] flipped = stored.clone();
        flipped[stored.length - 6] ^= 1; // inside the CRC-32
        assertThrows(IllegalStateException.class, () -> inflate(cut(flipped, 1024)));
    }

    @Test
    void shouldStoreAShortStreamAsIsAndALongOneAsGzip() throws IOException {
        GzipTee shortTee = new GzipTee(1000);
        Buffer kept = shortTee.accept(Buffer.buffer("short")).appendBuffer(shortTee.finish());
        assertFalse(shortTee.gzip());
        assertArrayEquals("short".getBytes(StandardCharsets.UTF_8), kept.getBytes());

        byte[] body = listing(3_000);
        GzipTee longTee = new GzipTee(1000);
        Buffer stored = Buffer.buffer();
        Random random = new Random(7);
        for (int from = 0; from < body.length; ) {
            int to = Math.min(body.length, from + 1 + random.nextInt(2000));
            stored.appendBuffer(longTee.accept(Buffer.buffer(Arrays.copyOfRange(body, from, to))));
            from = to;
        }
        stored.appendBuffer(longTee.finish());
        assertTrue(longTee.gzip());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored.getBytes()))) {
            assertArrayEquals(body, in.readAllBytes());
        }
    }
}
