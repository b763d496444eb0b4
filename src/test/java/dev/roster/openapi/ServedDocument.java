package dev.roster.openapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;

/** The OpenAPI document as served, and the check that an answer is what it documents for its route and status. */
final class ServedDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * OpenAPI 3.1 schemas are JSON Schema 2020-12; the copied {@code components}, there only for the {@code $ref}s to
     * reach, is known to the dialect as a keyword that validates nothing.
     */
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            factory -> factory.metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword("components"))
                    .build()));

    private static final SchemaValidatorsConfig ASSERT_FORMATS =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    final JsonNode root;

    ServedDocument(byte[] json) {
        try {
            this.root = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode operation(String path, String method) {
        JsonNode op = root.path("paths").path(path).path(method);
        assertFalse(op.isMissingNode(), "the document has no " + method.toUpperCase(Locale.ROOT) + " " + path);
        return op;
    }

    /** The response object documented for a status, with a {@code $ref} followed. */
    JsonNode response(String path, String method, int status) {
        JsonNode response = operation(path, method).path("responses").path(String.valueOf(status));
        assertFalse(response.isMissingNode(), method + " " + path + " documents no " + status);
        return resolve(response);
    }

    JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), "only local references expected: " + ref);
            node = root.at(ref.substring(1));
            assertFalse(node.isMissingNode(), "dangling reference " + ref);
        }
        return node;
    }

    /** The schema of a media type of a documented response, with the document's components in reach of its $refs. */
    JsonSchema schema(String path, String method, int status, String mediaType) {
        JsonNode content = response(path, method, status).path("content");
        JsonNode schema = content.path(mediaType).path("schema");
        assertFalse(
                schema.isMissingNode(),
                method + " " + path + " " + status + " documents no schema for " + mediaType + " (has "
                        + content.properties() + ")");
        return standalone(schema);
    }

    private JsonSchema standalone(JsonNode schema) {
        ObjectNode standalone = JSON.createObjectNode();
        standalone.put("$schema", JsonMetaSchema.getV202012().getIri());
        standalone.setAll((ObjectNode) schema.deepCopy());
        standalone.set("components", root.path("components"));
        return SCHEMAS.getSchema(standalone, ASSERT_FORMATS);
    }

    /** The schema of a media type of an operation's request body, with the document's components in reach. */
    JsonSchema requestSchema(String path, String method, String mediaType) {
        JsonNode schema = resolve(operation(path, method).path("requestBody"))
                .path("content")
                .path(mediaType)
                .path("schema");
        assertFalse(schema.isMissingNode(), method + " " + path + " documents no request body of " + mediaType);
        return standalone(schema);
    }

    /**
     * Asserts that the answer's status is documented for the route, that its body matches the schema documented for
     * its media type, and that every header documented as required is there. Returns the parsed body.
     */
    JsonNode assertDocuments(String path, String method, Response answer) {
        int status = answer.statusCode();
        String mediaType = answer.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode body;
        try {
            body = JSON.readTree(answer.asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<ValidationMessage> errors = schema(path, method, status, mediaType).validate(body);
        assertTrue(
                errors.isEmpty(),
                method + " " + path + " " + status + " answered a body its schema rejects: " + errors + "\n" + body);
        response(path, method, status).path("headers").properties().forEach(header -> {
            if (resolve(header.getValue()).path("required").asBoolean(false)) {
                assertNotNull(
                        answer.header(header.getKey()),
                        method + " " + path + " " + status + " lacks documented header " + header.getKey());
            }
        });
        return body;
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
