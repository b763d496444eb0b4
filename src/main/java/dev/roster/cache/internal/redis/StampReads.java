package dev.roster.cache.internal.redis;

import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.Stamp;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Reading a stamp: the epoch's and each tag's generation as {@code GET} returns them, a missing key as absent. */
final class StampReads {

    private StampReads() {}

    /** GET requests for the epoch and each tag's generation, in this order. */
    static List<Request> requests(RedisKeys keys, List<Tag> tags) {
        List<Request> requests = new ArrayList<>(tags.size() + 1);
        requests.add(Request.cmd(Command.GET).arg(keys.epoch()));
        for (Tag tag : tags) {
            requests.add(Request.cmd(Command.GET).arg(keys.generation(tag)));
        }
        return requests;
    }

    /** The stamp whose epoch reply is at {@code offset}, its {@code tagCount} generations after it. */
    static Stamp of(List<Response> responses, int offset, int tagCount) {
        long epoch = asLong(responses.get(offset));
        long[] generations = new long[tagCount];
        for (int i = 0; i < tagCount; i++) {
            generations[i] = asLong(responses.get(offset + 1 + i));
        }
        return new Stamp(epoch, generations);
    }

    static long asLong(Response r) {
        return r == null ? Stamp.ABSENT : Long.parseLong(r.toString());
    }
}
