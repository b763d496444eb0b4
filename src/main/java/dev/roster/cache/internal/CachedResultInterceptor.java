package dev.roster.cache.internal;

import dev.roster.cache.CachedResult;
import dev.roster.cache.internal.plan.Lookup;
import dev.roster.cache.internal.plan.MethodPlan;
import dev.roster.cache.internal.plan.MethodPlans;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Serves {@link CachedResult} methods through the {@link ResultCache}. Runs after {@link
 * InvalidatesTagsInterceptor} (higher priority value), as quarkus-cache orders invalidation before caching.
 */
@CachedResult
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 30)
public class CachedResultInterceptor {

    private final ResultCache cache;
    private final MethodPlans plans;
    private final BlockingLoads blockingLoads;

    CachedResultInterceptor(ResultCache cache, MethodPlans plans, BlockingLoads blockingLoads) {
        this.cache = cache;
        this.plans = plans;
        this.blockingLoads = blockingLoads;
    }

    @AroundInvoke
    Object intercept(InvocationContext context) throws Exception {
        MethodPlans.Planned planned = plans.result(context.getMethod());
        Lookup lookup = Lookup.of(planned.plan(), planned.settings(), context.getParameters());
        if (planned.plan().kind == MethodPlan.Kind.PLAIN_VALUE) {
            return blocking(lookup, context);
        }
        return cache.get(lookup, () -> proceed(context));
    }

    /**
     * Plain return types serve blocking callers on worker threads; they wait for Redis (bounded by its short
     * timeout) exactly as they would wait for any other blocking client. Never allowed on an event loop.
     */
    private Object blocking(Lookup lookup, InvocationContext context) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(
                    lookup.plan().settingsKey + " returns a plain value and may only be called from a"
                            + " worker thread; return Uni<T> to call it from the event loop");
        }
        Uni<Object> result = cache.get(
                lookup,
                () -> Uni.createFrom()
                        .item(() -> proceedBlocking(context))
                        .runSubscriptionOn(blockingLoads.executor()));
        // The one deliberate wait in main code: a plain method's caller asked to block (worker threads only).
        return result.await().indefinitely();
    }

    private static Object proceedBlocking(InvocationContext context) {
        try {
            return context.proceed();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Uni<Object> proceed(InvocationContext context) {
        return Uni.createFrom().deferred(() -> {
            try {
                return (Uni<Object>) context.proceed();
            } catch (Exception e) {
                return Uni.createFrom().failure(e);
            }
        });
    }
}
