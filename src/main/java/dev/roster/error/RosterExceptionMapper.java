package dev.roster.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps Roster's own failures (404, 409, 412, 413, 415, validation) to problem+json. */
public class RosterExceptionMapper {

    @ServerExceptionMapper
    public Response map(RosterException e, UriInfo uri) {
        Problem problem = Problem.of(e.kind(), e.title(), e.status(), e.getMessage(), uri.getPath());
        if (e instanceof ValidationException v) {
            problem = problem.withViolations(v.violations());
        }
        return problem.toResponse();
    }
}
