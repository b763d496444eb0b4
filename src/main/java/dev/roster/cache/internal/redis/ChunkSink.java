package dev.roster.cache.internal.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Stores a streamed body in chunks while it flows to the client: at most one chunk is held at a time, and
 * the entry's head is written last, only when the whole stream went by. A stream that fails or is cancelled
 * leaves no head, so a half-written entry is never read (its chunks expire on their own). A Redis failure
 * stops the storing, never the stream.
 */
final class ChunkSink {

    private final RedisStore store;
    private final StoreTarget target;
    private final Function<Integer, String> chunkKey;
    private Buffer pending = Buffer.buffer();
    private int chunks;
    private boolean broken;

    /** Where and how the chunks go. */
    record StoreTarget(int chunkBytes, int maxValueBytes, long chunkTtlMillis, List<Request> finalRequests) {}

    ChunkSink(RedisStore store, StoreTarget target, Function<Integer, String> chunkKey) {
        this.store = store;
        this.target = target;
        this.chunkKey = chunkKey;
    }

    Uni<Void> accept(Buffer item) {
        if (broken) {
            return Uni.createFrom().voidItem();
        }
        pending.appendBuffer(item);
        return pending.length() >= target.chunkBytes()
                ? flush()
                : Uni.createFrom().voidItem();
    }

    /** Writes the last chunk, refreshes every chunk's TTL, then writes the head that makes the entry visible. */
    Uni<Void> finish(IntFunction<Request> headWrite) {
        if (broken) {
            return Uni.createFrom().voidItem();
        }
        return (pending.length() > 0 ? flush() : Uni.createFrom().voidItem()).chain(() -> {
            if (broken) {
                return Uni.createFrom().voidItem();
            }
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                requests.add(Request.cmd(Command.PEXPIRE).arg(chunkKey.apply(i)).arg(target.chunkTtlMillis()));
            }
            requests.add(headWrite.apply(chunks));
            requests.addAll(target.finalRequests());
            return write(requests);
        });
    }

    boolean stored() {
        return !broken;
    }

    private Uni<Void> flush() {
        List<Request> writes = new ArrayList<>();
        byte[] bytes = pending.getBytes();
        pending = Buffer.buffer();
        for (int from = 0; from < bytes.length; from += target.maxValueBytes()) {
            int to = Math.min(bytes.length, from + target.maxValueBytes());
            byte[] slice = Arrays.copyOfRange(bytes, from, to);
            writes.add(Request.cmd(Command.SET)
                    .arg(chunkKey.apply(chunks++))
                    .arg(slice)
                    .arg("PX")
                    .arg(target.chunkTtlMillis()));
        }
        return write(writes);
    }

    private Uni<Void> write(List<Request> requests) {
        return store.batchForChunks(requests).replaceWithVoid().onFailure().recoverWithItem(e -> {
            broken = true;
            return null;
        });
    }
}
