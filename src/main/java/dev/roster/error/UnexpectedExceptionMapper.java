package dev.roster.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Anything unforeseen: 500 problem+json; the cause is logged, never sent. */
public class UnexpectedExceptionMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class);

    @ServerExceptionMapper(priority = 10_000)
    public Response map(Throwable e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure on %s", uri.getPath());
        return Problem.of("internal", "Internal Server Error", 500, "an unexpected error occurred", uri.getPath())
                .toResponse();
    }
}
