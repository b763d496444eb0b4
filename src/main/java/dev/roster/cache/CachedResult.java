package dev.roster.cache;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the result of a bean method in Redis: key from the cache name, the shape of the result type and
 * the key parameters; valid while every tag it depends on keeps its generation; a TTL (with jitter) on every
 * entry.
 *
 * <p>Supported return types: {@code Uni<T>} (reactive callers), {@code Uni<CachedBody>} (HTTP bodies kept as
 * bytes, streamed in chunks on hits), and plain {@code T} for blocking callers on worker threads. Key
 * parameters are those marked {@link io.quarkus.cache.CacheKey}, or all parameters when none is marked.
 * Misuse (a {@code Multi} return type, a parameter that cannot be encoded unambiguously, a tag naming no
 * parameter) fails the application at start-up.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface CachedResult {

    /** The cache name: {@code [a-z0-9-]+}; settings under {@code roster.cache.caches."name"}. */
    @Nonbinding
    String cache() default "";

    /**
     * Tags the result depends on: {@code "kind"} or {@code "kind:{param}"} or {@code "kind:{param.component}"}.
     * A write that evicts one of them (deletes its generation) makes the entry invisible at once.
     */
    @Nonbinding
    String[] tags() default {};

    /** This method's TTL ({@code 30s}, {@code 5m}, ISO-8601); empty means the cache's. */
    @Nonbinding
    String ttl() default "";

    /** Types whose structure the cached bytes follow (for {@link CachedBody}); part of the key's version. */
    @Nonbinding
    Class<?>[] shape() default {};

    /** Bump by hand when the meaning of cached values changes without their shape changing. */
    @Nonbinding
    int version() default 1;
}
