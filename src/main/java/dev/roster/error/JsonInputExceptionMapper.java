package dev.roster.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Malformed JSON, unknown or read-only fields and wrong types: 400, with a message that names the field but
 * never the Java type or the parser's internals.
 */
public class JsonInputExceptionMapper {

    @ServerExceptionMapper(priority = 1)
    public Response map(JsonProcessingException e, UriInfo uri) {
        return problem(e, uri);
    }

    /** Jackson's more specific failures, which Quarkus would otherwise answer in its own format. */
    @ServerExceptionMapper(priority = 1)
    public Response map(MismatchedInputException e, UriInfo uri) {
        return problem(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response map(JsonParseException e, UriInfo uri) {
        return problem(e, uri);
    }

    static Response problem(JsonProcessingException e, UriInfo uri) {
        return Problem.of("malformed-json", "Malformed JSON", 400, JsonInputMessages.describe(e), uri.getPath())
                .toResponse();
    }

    /** Turns a Jackson failure into a client-facing sentence. */
    public static final class JsonInputMessages {

        private JsonInputMessages() {}

        public static String describe(JsonProcessingException e) {
            if (e instanceof UnrecognizedPropertyException u) {
                String name = u.getPropertyName();
                if ("joinedAt".equals(name) || "version".equals(name)) {
                    return "field '" + name + "' is read-only and set by the server";
                }
                return "unknown field '" + name + "'";
            }
            if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
                String field = fieldOf((MismatchedInputException) e);
                return field.isEmpty()
                        ? "the body must be a JSON object"
                        : "field '" + field + "' has the wrong type (a string is expected)";
            }
            return "the body is not valid JSON";
        }

        private static String fieldOf(MismatchedInputException e) {
            StringBuilder path = new StringBuilder();
            for (var ref : e.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                }
            }
            return path.toString();
        }
    }
}
