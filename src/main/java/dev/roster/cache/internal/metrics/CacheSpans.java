package dev.roster.cache.internal.metrics;

import dev.roster.cache.internal.plan.Lookup;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.MDC;

/**
 * OpenTelemetry spans of the cache ({@code roster.cache.lookup}, with {@code roster.cache.compute} and
 * {@code roster.cache.store} inside it) and the MDC entries of a lookup ({@code cache}, {@code keyHash}).
 *
 * <p>Spans exist only while the OpenTelemetry SDK is on ({@code quarkus.otel.sdk.disabled=false}; it is off by
 * default): otherwise nothing is started and the lookup costs two MDC entries. A span is made current on the
 * request's Vert.x duplicated context while its work runs, so that spans and attributes recorded meanwhile
 * (the MongoDB read, the hit or miss) attach to it; the MDC lives on that same context, which is how Quarkus
 * carries it across the event-loop hops of one request.
 */
@Singleton
public class CacheSpans {

    /** MDC key of the cache's name while it works on a request. */
    public static final String MDC_CACHE = "cache";

    /** MDC key of the entry's short hash (the first 8 characters of its id, as the explain route shows). */
    public static final String MDC_KEY_HASH = "keyHash";

    static final AttributeKey<String> CACHE = AttributeKey.stringKey("roster.cache.name");
    static final AttributeKey<String> KEY_HASH = AttributeKey.stringKey("roster.cache.key_hash");
    static final AttributeKey<String> RESULT = AttributeKey.stringKey("roster.cache.result");
    static final AttributeKey<Boolean> STORED = AttributeKey.booleanKey("roster.cache.stored");

    private static final int KEY_HASH_LENGTH = 8;

    private final Tracer tracer;
    private final boolean enabled;

    @Inject
    CacheSpans(
            OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled) {
        this.tracer = openTelemetry.getTracer("dev.roster.cache");
        this.enabled = !sdkDisabled;
    }

    /** No spans (the MDC entries still). */
    static CacheSpans off() {
        return new CacheSpans(OpenTelemetry.noop(), true);
    }

    /** Whether spans are recorded (the OpenTelemetry SDK is on). */
    public boolean enabled() {
        return enabled;
    }

    Uni<Object> lookup(Lookup l, Supplier<Uni<Object>> work) {
        return Uni.createFrom().deferred(() -> {
            String keyHash = keyHash(l);
            // Only for a request: off a duplicated context the MDC is a thread local that another thread ends.
            if (VertxContext.isOnDuplicatedContext()) {
                MDC.put(MDC_CACHE, l.cache());
                MDC.put(MDC_KEY_HASH, keyHash);
            }
            if (!enabled) {
                return work.get().onTermination().invoke(CacheSpans::clearMdc);
            }
            Span span = tracer.spanBuilder("roster.cache.lookup")
                    .setAttribute(CACHE, l.cache())
                    .setAttribute(KEY_HASH, keyHash)
                    .startSpan();
            return within(span, work).onTermination().invoke(CacheSpans::clearMdc);
        });
    }

    <T> Uni<T> child(String name, Lookup l, Supplier<Uni<T>> work) {
        if (!enabled) {
            return work.get();
        }
        return Uni.createFrom()
                .deferred(() -> within(
                        tracer.spanBuilder(name)
                                .setAttribute(CACHE, l.cache())
                                .setAttribute(KEY_HASH, keyHash(l))
                                .startSpan(),
                        work));
    }

    /** The lookup's outcome, on the current span (the lookup's, where the outcome is decided). */
    void outcome(String result) {
        if (enabled) {
            Span.current().setAttribute(RESULT, result);
        }
    }

    void flag(String attribute) {
        if (enabled) {
            Span.current().setAttribute(attribute, true);
        }
    }

    void stored(boolean stored) {
        if (enabled) {
            Span.current().setAttribute(STORED, stored);
        }
    }

    /** Runs {@code work} with {@code span} current, and ends it (with the failure, if any) when work ends. */
    private static <T> Uni<T> within(Span span, Supplier<Uni<T>> work) {
        Scope scope = span.makeCurrent();
        Uni<T> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            started = Uni.createFrom().failure(e);
        }
        return started.onTermination().invoke((item, failure, cancelled) -> {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            scope.close();
            span.end();
        });
    }

    private static String keyHash(Lookup l) {
        return l.id().substring(0, Math.min(KEY_HASH_LENGTH, l.id().length()));
    }

    private static void clearMdc() {
        MDC.remove(MDC_CACHE);
        MDC.remove(MDC_KEY_HASH);
    }
}
