package dev.roster.error;

import com.mongodb.MongoException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * MongoDB unreachable (and nothing cached to answer from): 503 with {@code Retry-After}. Logged as one WARN
 * per {@value #REPORT_SECONDS} seconds with the count of such answers, not one line per request.
 */
public class UnavailableExceptionMapper {

    private static final Logger LOG = Logger.getLogger(UnavailableExceptionMapper.class);
    private static final String RETRY_AFTER_SECONDS = "2";
    private static final long REPORT_SECONDS = 30;
    private final AtomicLong lastReport = new AtomicLong();
    private final AtomicLong sinceReport = new AtomicLong();

    @ServerExceptionMapper
    public Response map(MongoException e, UriInfo uri) {
        return unavailable(e, uri);
    }

    @ServerExceptionMapper
    public Response map(StoreUnreachableException e, UriInfo uri) {
        return unavailable(e.getCause(), uri);
    }

    private Response unavailable(Throwable cause, UriInfo uri) {
        report(cause);
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

    private void report(Throwable cause) {
        long count = sinceReport.incrementAndGet();
        long now = System.nanoTime();
        long last = lastReport.get();
        if ((last == 0 || now - last > REPORT_SECONDS * 1_000_000_000L) && lastReport.compareAndSet(last, now)) {
            sinceReport.set(0);
            LOG.warnf(
                    "MongoDB is failing (%s): %d request(s) answered 503 since the last report",
                    cause == null ? "unknown" : cause.getClass().getSimpleName(), count);
        }
    }
}
