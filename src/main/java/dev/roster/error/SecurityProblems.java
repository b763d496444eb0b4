package dev.roster.error;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * 401 and 403 from the HTTP security layer (before any resource runs) as problem+json. Quarkus answers a
 * write without credentials with a bare challenge, so when write permissions are configured such a request
 * is answered here first, with the same 401 and a problem body.
 */
@ApplicationScoped
public class SecurityProblems {

    private static final int FIRST = Integer.MIN_VALUE;
    private static final int UNAUTHORIZED = 401;
    private static final int FORBIDDEN = 403;

    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE);

    private final RouteAnswers answers;
    private final boolean writesProtected;

    public SecurityProblems(
            RouteAnswers answers,
            @ConfigProperty(name = "quarkus.http.auth.permission.roster-writes.policy") Optional<String> policy) {
        this.answers = answers;
        this.writesProtected = policy.isPresent();
    }

    void register(@Observes Router router) {
        router.route().order(FIRST).failureHandler(this::handle);
        if (writesProtected) {
            router.route().order(FIRST).handler(this::requireCredentials);
        }
    }

    private void requireCredentials(RoutingContext context) {
        var request = context.request();
        boolean write = WRITES.contains(request.method())
                && (request.path().startsWith("/members") || request.path().startsWith("/teams/"));
        if (write && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            unauthorized(context);
            return;
        }
        context.next();
    }

    private void unauthorized(RoutingContext context) {
        context.response().putHeader("WWW-Authenticate", "Bearer");
        answers.problem(
                context,
                Problem.of(
                        "unauthorized",
                        "Unauthorized",
                        UNAUTHORIZED,
                        "writes need a bearer token with role roster-writer",
                        context.request().path()));
    }

    private void handle(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure instanceof AuthenticationException
                || failure instanceof UnauthorizedException
                || context.statusCode() == UNAUTHORIZED) {
            unauthorized(context);
        } else if (failure instanceof ForbiddenException || context.statusCode() == FORBIDDEN) {
            answers.problem(
                    context,
                    Problem.of(
                            "forbidden",
                            "Forbidden",
                            FORBIDDEN,
                            "the token lacks role roster-writer",
                            context.request().path()));
        } else {
            context.next();
        }
    }
}
