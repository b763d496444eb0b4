package dev.roster.cache;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the tags a write changes (tags known only while the write runs are declared through
 * {@link TagInvalidator#write}). The generations of these tags are deleted after the write ends (successfully,
 * with a failure, or with its caller gone: the write is run to its end either way) and before its
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
