package dev.roster.cache.internal;

import dev.roster.cache.InvalidatesTags;
import dev.roster.cache.TagInvalidator;
import dev.roster.cache.internal.plan.MethodPlan;
import dev.roster.cache.internal.plan.MethodPlans;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Runs an {@link InvalidatesTags} method as a {@link TagInvalidator#write}: its tags are evicted after the write
 * ended, however it ended (a failure that is {@code NothingWritten} aside), even if the caller went away, and
 * before its {@code Uni} emits, so that the response is sent only once every affected view is invalid.
 */
@InvalidatesTags
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 20)
public class InvalidatesTagsInterceptor {

    private final TagInvalidator invalidator;
    private final MethodPlans plans;

    InvalidatesTagsInterceptor(Evictions invalidator, MethodPlans plans) {
        this.invalidator = invalidator;
        this.plans = plans;
    }

    @AroundInvoke
    @SuppressWarnings("unchecked")
    Object intercept(InvocationContext context) throws Exception {
        var tags = MethodPlan.render(plans.invalidation(context.getMethod()), context.getParameters());
        Uni<Object> write = (Uni<Object>) context.proceed();
        return invalidator.write(scope -> {
            scope.mayChange(tags);
            return write;
        });
    }
}
