package dev.roster.security;

import dev.roster.error.Problem;
import dev.roster.web.RouteAnswers;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * 401 and 403 from the HTTP security layer (before any route runs) as problem+json, on the main router and on
 * the management router alike: whatever the route, a refusal looks the same.
 */
@ApplicationScoped
public class SecurityProblems {

    private static final int FIRST = Integer.MIN_VALUE;
    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    private final RouteAnswers answers;

    public SecurityProblems(RouteAnswers answers) {
        this.answers = answers;
    }

    void onMain(@Observes Router router) {
        router.route().order(FIRST).failureHandler(this::handle);
    }

    void onManagement(@Observes ManagementInterface management) {
        management.router().route().order(FIRST).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure instanceof AuthenticationException
                || failure instanceof UnauthorizedException
                || context.statusCode() == UNAUTHORIZED) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
            answers.problem(
                    context,
                    Problem.of(
                            "unauthorized",
                            "Unauthorized",
                            UNAUTHORIZED,
                            "this route needs a valid bearer token with group roster-writer",
                            context.request().path()));
        } else if (failure instanceof ForbiddenException || context.statusCode() == FORBIDDEN) {
            answers.problem(
                    context,
                    Problem.of(
                            "forbidden",
                            "Forbidden",
                            FORBIDDEN,
                            "the token lacks group roster-writer",
                            context.request().path()));
        } else {
            context.next();
        }
    }
}
