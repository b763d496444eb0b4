package dev.roster.cache.internal;

import dev.roster.cache.CacheInspector;
import dev.roster.cache.Tag;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link CacheInspector} reading the same keys the cache uses, in one pipeline. */
@ApplicationScoped
public class RedisCacheInspector implements CacheInspector {

    private final MethodPlans plans;
    private final RedisKeys keys;
    private final RedisStore store;
    private final GenerationStore generations;
    private final ResultCache cache;

    RedisCacheInspector(
            MethodPlans plans, RedisKeys keys, RedisStore store, GenerationStore generations, ResultCache cache) {
        this.plans = plans;
        this.keys = keys;
        this.store = store;
        this.generations = generations;
        this.cache = cache;
    }

    @Override
    public Uni<Map<String, Object>> explain(Method method, Object... args) {
        MethodPlan plan = plans.result(method);
        String id = plan.entryId(args);
        String key = keys.entry(plan.cache, id);
        List<Tag> tags = plan.tags(args);
        List<Request> requests = new ArrayList<>();
        requests.add(Request.cmd(Command.GET).arg(key));
        requests.add(Request.cmd(Command.PTTL).arg(key));
        requests.add(Request.cmd(Command.EXISTS).arg(keys.lease(id)));
        requests.addAll(generations.stampRequests(tags));
        return store.batch(requests).map(responses -> {
            Stamp current = GenerationStore.stampOf(responses, 3, tags.size());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cache", plan.cache);
            out.put("method", plan.settingsKey);
            out.put("key", key);
            out.put("keyHash", id.substring(0, 8));
            out.put("shapeVersion", plan.shapeVersion);
            var settings = cache.settingsOf(plan);
            out.put("ttl", settings.ttl().toString());
            out.put("emptyTtl", settings.emptyTtl().toString());
            out.put("epoch", current.epoch());
            List<Map<String, Object>> tagStates = new ArrayList<>();
            for (int i = 0; i < tags.size(); i++) {
                tagStates.add(Map.of("tag", tags.get(i).toString(), "generation", current.generations()[i]));
            }
            out.put("tags", tagStates);
            out.put("leaseHeld", responses.get(2).toLong() > 0);
            out.put("entry", describe(responses.get(0), responses.get(1), current));
            out.put("hitCount", "not tracked per key; see roster_cache_requests_total{cache}");
            return out;
        });
    }

    @Override
    public Uni<Boolean> evict(Method method, Object... args) {
        MethodPlan plan = plans.result(method);
        return store.send(Request.cmd(Command.DEL).arg(keys.entry(plan.cache, plan.entryId(args))))
                .map(r -> r.toLong() > 0);
    }

    @Override
    public Uni<Void> evictTag(Tag tag) {
        return generations.invalidate(List.of(tag));
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
        out.put("etag", entry.etag());
        out.put("storedStamp", entry.stamp().toString());
        return out;
    }
}
