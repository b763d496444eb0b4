/**
 * The OpenAPI documents' frame, declared on the package because that is where SmallRye reads an
 * {@code @OpenAPIDefinition} outside a JAX-RS {@code Application}: info, the bearer JWT scheme that every write route
 * requires in prod ({@link dev.roster.openapi.ApiSecurity}), and the headers and problem answers that many
 * operations share, referenced by name from the resources and from the static files under
 * {@code META-INF/openapi/}: {@code api/} adds the Vert.x bulk route that annotation scanning cannot see,
 * {@code management/} is the whole management document (served apart, at {@code /q/openapi-management-interface}). Both
 * documents get this frame; the management document replaces its title and description (application.properties).
 */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Roster",
                        version = "1.0.0",
                        description =
                                "Team membership listings. Reference: docs/API.md. Write routes (POST, PUT, DELETE) need"
                                        + " a bearer JWT with group roster-writer in the prod profile."),
        components =
                @Components(
                        securitySchemes =
                                @SecurityScheme(
                                        securitySchemeName = ApiSecurity.BEARER,
                                        type = SecuritySchemeType.HTTP,
                                        scheme = "bearer",
                                        bearerFormat = "JWT",
                                        description =
                                                "A JWT signed by the configured key, issuer https://roster.dev, carrying"
                                                        + " group roster-writer. Required on every write in the prod profile."),
                        headers = {
                            @Header(
                                    name = "ETag",
                                    required = true,
                                    description = "Strong validator of the representation.",
                                    schema = @Schema(type = SchemaType.STRING, examples = "\"3q2-7w\"")),
                            @Header(
                                    name = "Cache-Status",
                                    required = true,
                                    description = "RFC 9211: how the result cache served this answer.",
                                    schema = @Schema(type = SchemaType.STRING, examples = "roster; hit; ttl=57")),
                            @Header(
                                    name = "Vary",
                                    description = "Accept-Encoding: the body may be sent gzip-encoded, so caches"
                                            + " must key on the request's Accept-Encoding.",
                                    schema = @Schema(type = SchemaType.STRING, examples = "Accept-Encoding")),
                            @Header(
                                    name = "Content-Encoding",
                                    description = "gzip when the client accepts gzip and the cached body is stored"
                                            + " compressed (then the ETag ends in -gzip); absent otherwise.",
                                    schema = @Schema(type = SchemaType.STRING, examples = "gzip")),
                            @Header(
                                    name = "Retry-After",
                                    description = "Seconds to wait before retrying.",
                                    schema = @Schema(type = SchemaType.INTEGER, minimum = "0", examples = "2"))
                        },
                        responses = {
                            @APIResponse(
                                    name = "NotModified",
                                    responseCode = "304",
                                    description = "If-None-Match names the current representation.",
                                    headers = {
                                        @Header(name = "ETag", ref = "ETag"),
                                        @Header(name = "Cache-Status", ref = "Cache-Status"),
                                        @Header(name = "Vary", ref = "Vary")
                                    }),
                            @APIResponse(
                                    name = "BadRequest",
                                    responseCode = "400",
                                    description = "A broken rule in the path, query or body; one violation per rule.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class),
                                                    examples =
                                                            @ExampleObject(
                                                                    name = "violations",
                                                                    value =
                                                                            "{\"type\":\"https://roster.dev/problems/validation\","
                                                                                    + "\"title\":\"Validation Failed\",\"status\":400,"
                                                                                    + "\"detail\":\"the request breaks 1 rule(s)\","
                                                                                    + "\"instance\":\"/members\",\"violations\":"
                                                                                    + "[{\"field\":\"team\",\"message\":\"must not be blank\"}]}"))),
                            @APIResponse(
                                    name = "NotFound",
                                    responseCode = "404",
                                    description = "No such member.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class))),
                            @APIResponse(
                                    name = "Conflict",
                                    responseCode = "409",
                                    description =
                                            "The name exists (create), or the member kept changing under 3 retries.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class))),
                            @APIResponse(
                                    name = "PreconditionFailed",
                                    responseCode = "412",
                                    description = "If-Match names no current representation.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class))),
                            @APIResponse(
                                    name = "PayloadTooLarge",
                                    responseCode = "413",
                                    description = "The body is over the limit.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class))),
                            @APIResponse(
                                    name = "UnsupportedMediaType",
                                    responseCode = "415",
                                    description = "The body is not of the media type the route reads.",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class))),
                            @APIResponse(
                                    name = "Unauthorized",
                                    responseCode = "401",
                                    description = "No token, or an invalid one (prod).",
                                    headers =
                                            @Header(
                                                    name = "WWW-Authenticate",
                                                    schema = @Schema(type = SchemaType.STRING, examples = "Bearer")),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class))),
                            @APIResponse(
                                    name = "Forbidden",
                                    responseCode = "403",
                                    description = "A valid token without group roster-writer (prod).",
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class))),
                            @APIResponse(
                                    name = "Unavailable",
                                    responseCode = "503",
                                    description =
                                            "MongoDB unreachable and nothing cached to answer from; a write answered"
                                                    + " 503 may have landed.",
                                    headers = @Header(name = "Retry-After", ref = "Retry-After"),
                                    content =
                                            @Content(
                                                    mediaType = Problem.MEDIA_TYPE,
                                                    schema = @Schema(implementation = ApiSchemas.ProblemView.class)))
                        }))
package dev.roster.openapi;

import dev.roster.error.Problem;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
