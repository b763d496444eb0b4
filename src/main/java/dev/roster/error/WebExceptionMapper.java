package dev.roster.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** JAX-RS's own failures (unknown route, wrong method, wrong media type, bad parameter) as problem+json. */
public class WebExceptionMapper {

    @ServerExceptionMapper
    public Response map(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return JsonInputExceptionMapper.problem(json, uri);
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = e instanceof NotSupportedException ? "this route does not accept that Content-Type" : title;
        String kind = title.toLowerCase().replace(' ', '-');
        return Problem.of(kind, title, status, detail, uri.getPath()).toResponse();
    }
}
