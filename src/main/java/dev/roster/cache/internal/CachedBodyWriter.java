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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;
import org.jboss.resteasy.reactive.server.vertx.VertxResteasyReactiveRequestContext;

/**
 * Writes a {@link CachedBody} to the response as its chunks arrive, with backpressure (the next chunk is
 * requested only once the previous one was written), so that a listing of any size is never held whole.
 * A whole body is sent with {@code Content-Length}; a stream is sent chunked.
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
        VertxResteasyReactiveRequestContext request = (VertxResteasyReactiveRequestContext) context;
        request.suspend();
        HttpServerResponse response = request.vertxServerResponse();
        if (body.whole() != null) {
            response.putHeader("Content-Length", Integer.toString(body.whole().length));
        } else {
            response.setChunked(true);
        }
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
     * Writes chunks as they come while the connection's write queue has room, and asks for the next chunk only
     * when it drains again (Vert.x backpressure), so a slow client slows the stream down instead of filling
     * memory, and a fast one is never kept waiting for a round trip per chunk.
     */
    private static final class ChunkWriter implements Flow.Subscriber<Buffer> {

        private final VertxResteasyReactiveRequestContext request;
        private final HttpServerResponse response;
        private final AtomicBoolean waiting = new AtomicBoolean();
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
            s.request(1);
        }

        @Override
        public void onNext(Buffer chunk) {
            response.write(chunk.getDelegate()).onFailure(this::gone);
            if (!response.writeQueueFull()) {
                subscription.request(1);
                return;
            }
            waiting.set(true);
            response.drainHandler(v -> resume());
            if (!response.writeQueueFull()) {
                resume();
            }
        }

        private void resume() {
            if (waiting.compareAndSet(true, false)) {
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
