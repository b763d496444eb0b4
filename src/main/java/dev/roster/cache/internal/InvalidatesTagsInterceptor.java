package dev.roster.cache.internal;

import dev.roster.cache.ChangedTags;
import dev.roster.cache.InvalidatesTags;
import dev.roster.cache.NothingWritten;
import dev.roster.cache.Tag;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Bumps the tags of an {@link InvalidatesTags} method after its write completed (successfully or not: a write
 * whose answer was lost may still have been applied — unless the failure is {@link NothingWritten}) and
 * before its {@code Uni} emits, so that the response is sent only once every affected view is invalid.
 */
@InvalidatesTags
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 20)
public class InvalidatesTagsInterceptor {

    private final GenerationStore generations;
    private final MethodPlans plans;

    InvalidatesTagsInterceptor(GenerationStore generations, MethodPlans plans) {
        this.generations = generations;
        this.plans = plans;
    }

    @AroundInvoke
    @SuppressWarnings("unchecked")
    Object intercept(InvocationContext context) throws Exception {
        List<TagTemplate> templates = plans.invalidation(context.getMethod());
        Object[] args = context.getParameters();
        Uni<Object> write = (Uni<Object>) context.proceed();
        return write.onItemOrFailure().call((item, failure) -> {
            if (failure instanceof NothingWritten) {
                return Uni.createFrom().voidItem();
            }
            List<Tag> tags = new ArrayList<>(MethodPlan.render(templates, args));
            if (item instanceof ChangedTags changed) {
                tags.addAll(changed.changedTags());
            }
            return generations.invalidate(tags);
        });
    }
}
