package dev.roster.cache.internal;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Plans of annotated methods, built once each (all of them at start-up, by {@link CacheUsageValidator}). */
@ApplicationScoped
public class MethodPlans {

    private final Map<Method, MethodPlan> results = new ConcurrentHashMap<>();
    private final Map<Method, List<TagTemplate>> invalidations = new ConcurrentHashMap<>();

    MethodPlan result(Method method) {
        return results.computeIfAbsent(method, MethodPlan::forResult);
    }

    List<TagTemplate> invalidation(Method method) {
        return invalidations.computeIfAbsent(method, MethodPlan::forInvalidation);
    }
}
