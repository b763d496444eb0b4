package dev.roster.membership.rest;

import dev.roster.error.StoreUnreachableException;
import dev.roster.membership.config.BulkConfig;
import dev.roster.membership.config.WriteConfig;
import dev.roster.membership.service.BulkImport;
import dev.roster.membership.service.BulkLine;
import dev.roster.web.RouteAnswers;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * {@code POST /members/bulk}: NDJSON streamed straight from the socket (with backpressure) through the line
 * splitter and the batch importer, so a body of any size is applied with memory bounded by one batch. It is a
 * Vert.x route rather than a JAX-RS method because JAX-RS would read the whole body before the method runs.
 */
@ApplicationScoped
public class BulkRoute {

    static final String PATH = "/members/bulk";
    private static final Logger LOG = Logger.getLogger(BulkRoute.class);
    private static final String NDJSON = "application/x-ndjson";
    /**
     * After Quarkus's authorization filter (order {@code -AUTHORIZATION}, so the write permission applies here as
     * on every other write) and before the upload limit (order -2, which would cut the body at the single-member
     * limit) and JAX-RS.
     */
    private static final int AFTER_AUTHORIZATION = -SecurityHandlerPriorities.AUTHORIZATION + 1;

    private final BulkImport importer;
    private final BulkLineParser parser;
    private final RouteAnswers answers;
    private final long maxBodyBytes;
    private final int maxLineBytes;

    public BulkRoute(
            BulkImport importer, BulkLineParser parser, RouteAnswers answers, BulkConfig bulk, WriteConfig writes) {
        this.importer = importer;
        this.parser = parser;
        this.answers = answers;
        this.maxBodyBytes = bulk.maxBodySize().asLongValue();
        this.maxLineBytes = (int) writes.maxBodySize().asLongValue();
    }

    void register(@Observes Router router) {
        router.post(PATH).order(AFTER_AUTHORIZATION).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        var request = context.request();
        String type = Objects.requireNonNullElse(request.getHeader(HttpHeaders.CONTENT_TYPE), "");
        if (!type.toLowerCase().startsWith(NDJSON)) {
            answers.problem(context, 415, "Unsupported Media Type", "send the members as " + NDJSON);
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBodyBytes) {
            answers.problem(
                    context, 413, "Payload Too Large", "a bulk body may hold at most " + maxBodyBytes + " bytes");
            return;
        }
        Multi<Buffer> body = HttpServerRequest.newInstance(request).toMulti();
        Multi<BulkLine> lines = NdjsonLines.split(limited(body), maxLineBytes)
                .filter(line -> !line.blank())
                .map(parser::parse);
        importer.apply(lines)
                .subscribe()
                .with(report -> answers.json(context, 200, report), failure -> fail(context, failure));
    }

    private Multi<Buffer> limited(Multi<Buffer> body) {
        long[] seen = {0};
        return body.invoke(buffer -> {
            seen[0] += buffer.length();
            if (seen[0] > maxBodyBytes) {
                throw new BodyTooLargeException();
            }
        });
    }

    private void fail(RoutingContext context, Throwable failure) {
        if (failure instanceof BodyTooLargeException) {
            answers.problem(
                    context, 413, "Payload Too Large", "a bulk body may hold at most " + maxBodyBytes + " bytes");
        } else if (failure instanceof com.mongodb.MongoException || failure instanceof StoreUnreachableException) {
            context.response().putHeader("Retry-After", "2");
            answers.problem(context, 503, "Service Unavailable", "the member store is unreachable; retry shortly");
        } else {
            LOG.errorf(failure, "Bulk import failed");
            answers.problem(context, 500, "Internal Server Error", "an unexpected error occurred");
        }
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The body grew past the configured limit while streaming. */
    private static final class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException() {
            super("bulk body too large", null, false, false);
        }
    }
}
