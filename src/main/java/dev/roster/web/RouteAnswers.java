package dev.roster.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roster.error.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * JSON and problem+json answers for the few routes that run below JAX-RS (bulk, body limits, security,
 * management), so that they answer exactly like the resources do.
 */
@ApplicationScoped
public class RouteAnswers {

    private static final String JSON = "application/json; charset=UTF-8";

    private final ObjectMapper mapper;

    public RouteAnswers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void json(RoutingContext context, int status, Object body) {
        write(context, status, JSON, body);
    }

    public void problem(RoutingContext context, Problem problem) {
        write(context, problem.status(), Problem.MEDIA_TYPE, problem);
    }

    /** A problem whose type and title follow from a standard status code. */
    public void problem(RoutingContext context, int status, String title, String detail) {
        problem(
                context,
                Problem.of(
                        title.toLowerCase().replace(' ', '-'),
                        title,
                        status,
                        detail,
                        context.request().path()));
    }

    private void write(RoutingContext context, int status, String type, Object body) {
        if (context.response().ended()) {
            return;
        }
        try {
            context.response()
                    .setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, type)
                    .end(Buffer.buffer(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
