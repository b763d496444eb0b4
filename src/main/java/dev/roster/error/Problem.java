package dev.roster.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every 4xx and 5xx answer. Registered for reflection with its nested
 * {@link Violation} (no {@code targets}: an annotation with targets registers only them, not the annotated
 * class, and a native build then wrote problems without their record components): Jackson writes it from
 * exception mappers and routes, outside any resource method's declared return type.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type, String title, int status, String detail, String instance, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://roster.dev/problems/";

    /** One broken validation rule. */
    public record Violation(String field, String message) {}

    public static Problem of(String kind, String title, int status, String detail, String instance) {
        return new Problem(TYPE_BASE + kind, title, status, detail, instance, null);
    }

    public Problem withViolations(List<Violation> list) {
        return new Problem(type, title, status, detail, instance, list);
    }

    public Response toResponse() {
        return Response.status(status)
                .type(MediaType.valueOf(MEDIA_TYPE))
                .entity(this)
                .build();
    }
}
