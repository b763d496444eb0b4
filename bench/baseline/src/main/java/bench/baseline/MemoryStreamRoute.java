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

/**
 * Ceiling: {@code GET /ceiling/teams/{team}/members} streams a team's listing from memory. The bytes are made
 * once, at the first call (read from MongoDB, encoded with the app's ObjectMapper into 64 KiB chunks), and kept;
 * every later call only writes those chunks to the socket, with back-pressure. Nothing can serve the same bytes
 * faster from this process, so it is the bound for a cached 1M-member listing.
 */
@ApplicationScoped
public class MemoryStreamRoute {

    private static final int CHUNK = 64 * 1024;

    private final MemberStore store;
    private final ObjectMapper mapper;
    private final ConcurrentHashMap<String, Uni<List<byte[]>>> teams = new ConcurrentHashMap<>();

    public MemoryStreamRoute(MemberStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.get("/ceiling/teams/:team/members").handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Context context = Vertx.currentContext();
        String team = ctx.pathParam("team");
        teams.computeIfAbsent(team, this::generate)
                .subscribe()
                .with(
                        chunks -> context.runOnContext(v -> {
                            HttpServerResponse response = ctx.response();
                            response.setChunked(true).putHeader("Content-Type", "application/json;charset=UTF-8");
                            send(response, chunks, 0);
                        }),
                        failure -> {
                            teams.remove(team);
                            context.runOnContext(v -> ctx.fail(failure));
                        });
    }

    private Uni<List<byte[]>> generate(String team) {
        return store.listing(team)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(this::encode)
                .memoize()
                .indefinitely();
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
