package dev.roster.cache.internal;

import dev.roster.cache.CacheInspector;
import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.plan.Lookup;
import dev.roster.cache.internal.plan.MethodPlans;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link CacheInspector}: the method's plan and settings, and what the store holds for its entry. */
@Singleton
public class StoreInspector implements CacheInspector {

    private final MethodPlans plans;
    private final EntryStore store;
    private final Evictions evictions;

    StoreInspector(MethodPlans plans, EntryStore store, Evictions evictions) {
        this.plans = plans;
        this.store = store;
        this.evictions = evictions;
    }

    @Override
    public Uni<Map<String, Object>> explain(Method method, Object... args) {
        MethodPlans.Planned planned = plans.result(method);
        Lookup l = Lookup.of(planned.plan(), planned.settings(), args);
        return store.inspect(l).map(held -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cache", l.cache());
            out.put("method", l.plan().settingsKey);
            out.put("key", held.get("key"));
            out.put("keyHash", l.id().substring(0, 8));
            out.put("shapeVersion", l.plan().shapeVersion);
            out.put("ttl", l.settings().ttl().toString());
            out.put("emptyTtl", l.settings().emptyTtl().toString());
            out.put("epoch", held.get("epoch"));
            out.put("tags", held.get("tags"));
            out.put("leaseHeld", held.get("leaseHeld"));
            out.put("entry", held.get("entry"));
            out.put("hitCount", "not tracked per key; see cache_gets_total{cache}");
            return out;
        });
    }

    @Override
    public Uni<Boolean> evict(Method method, Object... args) {
        MethodPlans.Planned planned = plans.result(method);
        return store.delete(Lookup.of(planned.plan(), planned.settings(), args));
    }

    @Override
    public Uni<Void> evictTag(Tag tag) {
        return evictions.invalidate(List.of(tag));
    }
}
