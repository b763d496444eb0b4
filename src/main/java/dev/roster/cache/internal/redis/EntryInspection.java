package dev.roster.cache.internal.redis;

import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What Redis holds for one lookup, for the management interface's explain route: entry, stamp and lease. */
final class EntryInspection {

    private final RedisStore redis;
    private final RedisKeys keys;
    private final Leases leases;

    EntryInspection(RedisStore redis, RedisKeys keys, Leases leases) {
        this.redis = redis;
        this.keys = keys;
        this.leases = leases;
    }

    Uni<Map<String, Object>> inspect(Lookup l) {
        String key = keys.entry(l.cache(), l.id());
        List<Request> requests = new ArrayList<>();
        requests.add(Request.cmd(Command.GET).arg(key));
        requests.add(Request.cmd(Command.PTTL).arg(key));
        requests.add(leases.exists(l.id()));
        requests.addAll(StampReads.requests(keys, l.tags()));
        return redis.batch(requests).map(responses -> {
            Stamp current = StampReads.of(responses, 3, l.tags().size());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("epoch", current.epoch());
            List<Map<String, Object>> tagStates = new ArrayList<>();
            for (int i = 0; i < l.tags().size(); i++) {
                tagStates.add(Map.of("tag", l.tags().get(i).toString(), "generation", current.generations()[i]));
            }
            out.put("tags", tagStates);
            out.put("leaseHeld", responses.get(2).toLong() > 0);
            out.put("entry", describe(responses.get(0), responses.get(1), current));
            return out;
        });
    }

    private static Map<String, Object> describe(Response head, Response pttl, Stamp current) {
        Entry entry = head == null ? null : Entry.decode(head.toBytes());
        if (entry == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", entry.stamp().matches(current));
        out.put("fresh", entry.remainingMillis(now) > 0);
        out.put("ttlSeconds", Math.max(0, entry.remainingMillis(now) / 1000));
        out.put("redisTtlSeconds", pttl.toLong() / 1000);
        out.put("loadedAt", Instant.ofEpochMilli(entry.createdAtMillis()).toString());
        out.put("loadMillis", entry.loadMicros() / 1000.0);
        out.put("present", entry.present());
        out.put("empty", entry.empty());
        out.put("bytes", entry.totalLength());
        out.put("chunks", entry.chunkCount());
        out.put("encoding", entry.gzip() ? "gzip" : "identity");
        out.put("etag", entry.etag());
        out.put("storedStamp", entry.stamp().toString());
        return out;
    }
}
