package dev.roster.web;

import dev.roster.membership.config.WriteConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers an oversized single-member body with a 413 problem+json before any of it is read (from its
 * {@code Content-Length}); bodies sent without a length are cut by Quarkus's own limit
 * ({@code quarkus.http.limits.max-body-size}). The bulk route has its own, larger limit.
 */
@ApplicationScoped
public class BodyLimits {

    private static final int BEFORE_EVERYTHING = -200;
    private static final String BULK = "/members/bulk";

    private final long maxMemberBytes;
    private final RouteAnswers answers;

    public BodyLimits(WriteConfig writes, RouteAnswers answers) {
        MemorySize max = writes.maxBodySize();
        this.maxMemberBytes = max.asLongValue();
        this.answers = answers;
    }

    void register(@Observes Router router) {
        router.route("/members/*").order(BEFORE_EVERYTHING).handler(this::check);
        router.route("/members").order(BEFORE_EVERYTHING).handler(this::check);
    }

    private void check(RoutingContext context) {
        var request = context.request();
        boolean write = request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT;
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (!write || length == null || BULK.equals(request.path()) || parse(length) <= maxMemberBytes) {
            context.next();
            return;
        }
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        answers.problem(
                context, 413, "Payload Too Large", "a member body may hold at most " + maxMemberBytes + " bytes");
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
