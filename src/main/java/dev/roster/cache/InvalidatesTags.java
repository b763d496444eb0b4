package dev.roster.cache;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the tags a write changes. The generations of these tags (plus any a result implementing
 * {@link ChangedTags} reports) are bumped after the write completes (successfully or not) and before its
 * {@code Uni} emits, so that the caller's next read, on any instance, misses every entry that depended on
 * them. Unlike a stock {@code @CacheInvalidate} on a {@code Uni} method, nothing is invalidated before the
 * write runs, so a read racing the write cannot re-store the old value.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface InvalidatesTags {

    /** Tag templates, as in {@link CachedResult#tags()}. */
    @Nonbinding
    String[] value() default {};
}
