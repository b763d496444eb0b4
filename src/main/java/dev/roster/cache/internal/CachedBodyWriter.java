package dev.roster.cache.internal;

import dev.roster.cache.CachedBody;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;
import org.jboss.resteasy.reactive.server.vertx.VertxResteasyReactiveRequestContext;

/**
 * Writes a {@link CachedBody} to the response as its chunks arrive, with backpressure (the next chunk is
 * requested only once the previous one was written), so that a listing of any size is never held whole.
 * A whole body (computed whole, or a hit on an entry stored in one value) is sent in one write with
 * {@code Content-Length}; a stream is sent chunked. Headers rendered with the body ({@link CachedBody#headers()})
 * are written with it.
 */
@Provider
public class CachedBodyWriter implements ServerMessageBodyWriter<CachedBody> {

    private static final Logger LOG = Logger.getLogger(CachedBodyWriter.class);

    @Override
    public boolean isWriteable(
            Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return CachedBody.class.isAssignableFrom(type);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return CachedBody.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(CachedBody body, Type genericType, ServerRequestContext context) {
        CharSequence[] headers = body.headers();
        if (headers != null) {
            for (int i = 0; i < headers.length; i += 2) {
                context.serverResponse().setResponseHeader(headers[i], headers[i + 1]);
            }
        }
        if (body.whole() != null) {
            context.serverResponse().end(body.whole());
            return;
        }
        VertxResteasyReactiveRequestContext request = (VertxResteasyReactiveRequestContext) context;
        HttpServerResponse response = request.vertxServerResponse();
        if (response.closed()) {
            body.discard();
            return;
        }
        request.suspend();
        response.setChunked(true);
        body.chunks().subscribe().withSubscriber(new ChunkWriter(request, response));
    }

    @Override
    public void writeTo(
            CachedBody body,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out) {
        throw new WebApplicationException("a cached body is only written reactively");
    }

    /**
     * Writes chunks with at most {@value #IN_FLIGHT} of them not yet handed to the socket, asking for the next
     * one as soon as there is room: a write from another thread (the Redis or MongoDB client's) is only queued
     * as a task, so the connection's own write-queue signal alone lets a stream pile up in memory. One
     * unfinished write keeps the heap growth of a 1M-member listing under the 64 MB bound, 4 clients included
     * (docs/benchmarks.md); two are faster but exceed it.
     */
    private static final class ChunkWriter implements Flow.Subscriber<Buffer> {

        private static final int IN_FLIGHT = 1;

        private final VertxResteasyReactiveRequestContext request;
        private final HttpServerResponse response;
        private final AtomicInteger unfinished = new AtomicInteger();
        private final AtomicBoolean requested = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        private Flow.Subscription subscription;

        ChunkWriter(VertxResteasyReactiveRequestContext request, HttpServerResponse response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            response.closeHandler(v -> gone(null));
            response.drainHandler(v -> next());
            next();
        }

        @Override
        public void onNext(Buffer chunk) {
            requested.set(false);
            unfinished.incrementAndGet();
            response.write(chunk.getDelegate()).onComplete(ar -> {
                if (ar.failed()) {
                    gone(ar.cause());
                    return;
                }
                unfinished.decrementAndGet();
                next();
            });
            next();
        }

        /** Asks for one more chunk when there is room and no request is outstanding. */
        private void next() {
            if (!finished.get()
                    && unfinished.get() < IN_FLIGHT
                    && !response.writeQueueFull()
                    && requested.compareAndSet(false, true)) {
                subscription.request(1);
            }
        }

        /** The client went away: stop producing; nothing can be sent any more. */
        private void gone(Throwable cause) {
            if (finished.compareAndSet(false, true)) {
                subscription.cancel();
                LOG.debugf(
                        "Client left during a streamed response (%s)",
                        cause == null ? "closed" : cause.getClass().getSimpleName());
                request.close();
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            if (!response.headWritten()) {
                request.resume(failure);
                return;
            }
            LOG.warnf(
                    "A streamed response failed after it started (%s); the connection is closed",
                    failure.getClass().getSimpleName());
            response.reset();
            request.close();
        }

        @Override
        public void onComplete() {
            if (finished.compareAndSet(false, true)) {
                response.end().onComplete(ar -> request.resume());
            }
        }
    }
}
