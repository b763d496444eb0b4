package bench.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Ceilings: {@code GET /ceiling/teams/{team}/members} streams a team's listing from memory, and
 * {@code GET /ceiling/gzip/teams/{team}/members} the same listing gzip-compressed ({@code Content-Encoding: gzip},
 * sent whatever the client accepts). The bytes are made once, at the first call (read from MongoDB, encoded with the
 * app's ObjectMapper; for gzip, deflated at level 1 into one gzip member with the header Roster writes, so the
 * sizes match Roster's gzip hits), cut into 64 KiB chunks and kept; every later call only writes those chunks to the
 * socket, with back-pressure, or a body of one chunk in one write with {@code Content-Length}. Nothing can serve the
 * same bytes faster from this process, so they bound any cache of the listing.
 */
@ApplicationScoped
public class MemoryStreamRoute {

    private static final int CHUNK = 64 * 1024;

    /** The gzip header Roster writes: magic, CM=deflate, no flags, no mtime, XFL=fastest, OS unknown. */
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 4, (byte) 255};

    private final MemberStore store;
    private final ObjectMapper mapper;
    private final ConcurrentHashMap<String, Uni<List<byte[]>>> teams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Uni<List<byte[]>>> gzipTeams = new ConcurrentHashMap<>();

    public MemoryStreamRoute(MemberStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.get("/ceiling/teams/:team/members").handler(ctx -> handle(ctx, teams, false));
        router.get("/ceiling/gzip/teams/:team/members").handler(ctx -> handle(ctx, gzipTeams, true));
    }

    private void handle(RoutingContext ctx, ConcurrentHashMap<String, Uni<List<byte[]>>> cache, boolean gzip) {
        Context context = Vertx.currentContext();
        String team = ctx.pathParam("team");
        cache.computeIfAbsent(team, t -> generate(t, gzip))
                .subscribe()
                .with(
                        chunks -> context.runOnContext(v -> respond(ctx, chunks, gzip)),
                        failure -> {
                            cache.remove(team);
                            context.runOnContext(v -> ctx.fail(failure));
                        });
    }

    private static void respond(RoutingContext ctx, List<byte[]> chunks, boolean gzip) {
        HttpServerResponse response = ctx.response().putHeader("Content-Type", "application/json;charset=UTF-8");
        if (gzip) {
            response.putHeader("Content-Encoding", "gzip");
        } else if (ctx.request().headers().contains("Accept-Encoding")) {
            // Keeps a server started with compression on (ab-hits.sh --accept-encoding gzip) from compressing the
            // identity ceiling on every request: it stays the bytes from memory.
            response.putHeader("Content-Encoding", "identity");
        }
        if (chunks.size() == 1) {
            response.end(Buffer.buffer(Unpooled.wrappedBuffer(chunks.get(0))));
        } else {
            response.setChunked(true);
            send(response, chunks, 0);
        }
    }

    private Uni<List<byte[]>> generate(String team, boolean gzip) {
        return store.listing(team)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(listing -> gzip ? gzip(encode(listing)) : encode(listing))
                .memoize()
                .indefinitely();
    }

    /** The listing's bytes as one gzip member (deflate level 1, as Roster stores large bodies), in chunks. */
    private static List<byte[]> gzip(List<byte[]> identity) {
        ChunkedOutput out = new ChunkedOutput();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[CHUNK];
        long length = 0;
        out.write(GZIP_HEADER, 0, GZIP_HEADER.length);
        for (byte[] chunk : identity) {
            crc.update(chunk);
            length += chunk.length;
            deflater.setInput(chunk);
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
        }
        deflater.end();
        int sum = (int) crc.getValue();
        int size = (int) length;
        byte[] trailer = {(byte) sum, (byte) (sum >>> 8), (byte) (sum >>> 16), (byte) (sum >>> 24),
            (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)};
        out.write(trailer, 0, trailer.length);
        return out.finish();
    }

    private List<byte[]> encode(TeamListing listing) {
        ChunkedOutput out = new ChunkedOutput();
        try {
            mapper.writeValue(out, listing);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.finish();
    }

    private static void send(HttpServerResponse response, List<byte[]> chunks, int from) {
        int i = from;
        while (i < chunks.size()) {
            if (response.writeQueueFull()) {
                int next = i;
                response.drainHandler(v -> send(response, chunks, next));
                return;
            }
            // A fresh wrapper per write: no copy, and no reader index shared between concurrent responses.
            response.write(Buffer.buffer(Unpooled.wrappedBuffer(chunks.get(i++))));
        }
        response.end();
    }

    /** An output stream that keeps what is written as a list of fixed-size chunks. */
    private static final class ChunkedOutput extends OutputStream {
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] current = new byte[CHUNK];
        private int used;

        @Override
        public void write(int b) {
            if (used == CHUNK) {
                flushChunk();
            }
            current[used++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (used == CHUNK) {
                    flushChunk();
                }
                int n = Math.min(len, CHUNK - used);
                System.arraycopy(b, off, current, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        private void flushChunk() {
            chunks.add(current);
            current = new byte[CHUNK];
            used = 0;
        }

        List<byte[]> finish() {
            if (used > 0) {
                chunks.add(Arrays.copyOf(current, used));
            }
            return chunks;
        }
    }
}
