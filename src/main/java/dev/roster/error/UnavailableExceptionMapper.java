package dev.roster.error;

import com.mongodb.MongoException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** MongoDB unreachable (and nothing cached to answer from): 503 with {@code Retry-After}. */
public class UnavailableExceptionMapper {

    private static final Logger LOG = Logger.getLogger(UnavailableExceptionMapper.class);
    private static final String RETRY_AFTER_SECONDS = "2";

    @ServerExceptionMapper
    public Response map(MongoException e, UriInfo uri) {
        LOG.warnf("MongoDB failed for %s: %s", uri.getPath(), e.getClass().getSimpleName());
        return Response.fromResponse(Problem.of(
                                "unavailable",
                                "Service Unavailable",
                                503,
                                "the member store is unreachable; retry shortly",
                                uri.getPath())
                        .toResponse())
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .build();
    }
}
