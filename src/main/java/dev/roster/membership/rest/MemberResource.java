package dev.roster.membership.rest;

import dev.roster.error.Problem;
import dev.roster.error.ValidationException;
import dev.roster.membership.Member;
import dev.roster.membership.service.MemberCommands;
import dev.roster.membership.service.MemberJson;
import dev.roster.membership.service.MemberQueries;
import dev.roster.openapi.ApiSchemas;
import dev.roster.openapi.ApiSecurity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/** Single members: read (cached), create, replace, delete. */
@Path("/members")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Members")
public class MemberResource {

    private static final String MEMBER_EXAMPLE = "{\"name\":\"ada\",\"team\":\"ALPHA\",\"email\":\"ada@example.org\","
            + "\"role\":\"lead\",\"joinedAt\":\"2026-01-05T09:30:00.123Z\",\"version\":1}";

    private final MemberQueries queries;
    private final MemberCommands commands;
    private final MemberBodies bodies;
    private final MemberJson json;

    public MemberResource(MemberQueries queries, MemberCommands commands, MemberBodies bodies, MemberJson json) {
        this.queries = queries;
        this.commands = commands;
        this.bodies = bodies;
        this.json = json;
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "getMember", summary = "One member (cached)")
    @APIResponse(
            responseCode = "200",
            description = "The member.",
            headers = {
                @Header(name = "ETag", ref = "ETag"),
                @Header(name = "Cache-Status", ref = "Cache-Status"),
                @Header(name = "Vary", ref = "Vary"),
                @Header(name = "Content-Encoding", ref = "Content-Encoding")
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiSchemas.MemberView.class),
                            examples = @ExampleObject(name = "member", value = MEMBER_EXAMPLE)))
    @APIResponse(responseCode = "304", ref = "NotModified")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(
            responseCode = "404",
            description = "No member of that name (absence is cached too; a create evicts it).",
            headers = {@Header(name = "Cache-Status", ref = "Cache-Status"), @Header(name = "Vary", ref = "Vary")},
            content =
                    @Content(
                            mediaType = Problem.MEDIA_TYPE,
                            schema = @Schema(implementation = ApiSchemas.ProblemView.class)))
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> get(
            @Parameter(description = "Percent-encoded; every value the name rules allow round-trips.") @RestPath
                    String name,
            @Parameter(description = "ETags, weak comparison; '*' matches any.") @RestHeader("If-None-Match")
                    String ifNoneMatch,
            @Parameter(description = CachedAnswers.ACCEPT_ENCODING_DOC) @RestHeader("Accept-Encoding")
                    String acceptEncoding,
            UriInfo uri) {
        PathRules.name(name);
        return queries.member(name)
                .map(body -> CachedAnswers.of(
                        body, ifNoneMatch, acceptEncoding, uri.getPath(), "no member named '" + name + "'"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createMember", summary = "Create a member")
    @SecurityRequirement(name = ApiSecurity.BEARER)
    @APIResponse(
            responseCode = "201",
            description = "Created: joinedAt now, version 1.",
            headers = {
                @Header(name = "ETag", ref = "ETag"),
                @Header(
                        name = "Location",
                        required = true,
                        description = "The member's absolute URL, its name percent-encoded as one path segment.",
                        schema = @Schema(format = "uri", examples = "http://localhost:8080/members/ada"))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiSchemas.MemberView.class),
                            examples = @ExampleObject(name = "member", value = MEMBER_EXAMPLE)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> create(MemberInput input) {
        MemberInput valid = bodies.valid(input);
        return commands.create(valid.name(), valid.team(), valid.email(), valid.role())
                .map(member -> withTag(Response.created(location(member)), member));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "replaceMember",
            summary = "Replace a member's team, email and role",
            description = "Fields left out are removed.")
    @SecurityRequirement(name = ApiSecurity.BEARER)
    @APIResponse(
            responseCode = "200",
            description = "The member; version unchanged when nothing changed.",
            headers = @Header(name = "ETag", ref = "ETag"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiSchemas.MemberView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "412", ref = "PreconditionFailed")
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> replace(
            @RestPath String name,
            @Parameter(description = "ETags, strong comparison; '*' matches any.") @RestHeader("If-Match")
                    String ifMatch,
            @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = ApiSchemas.MemberReplacement.class)))
                    MemberInput input) {
        PathRules.name(name);
        if (input != null && input.name() != null && !input.name().equals(name)) {
            throw new ValidationException(List.of(new Problem.Violation("name", "must equal the name in the path")));
        }
        MemberInput valid =
                bodies.valid(input == null ? null : new MemberInput(name, input.team(), input.email(), input.role()));
        return commands.replace(name, valid.team(), valid.email(), valid.role(), ifMatch)
                .map(change -> withTag(Response.ok(), change.after()));
    }

    @DELETE
    @Path("/{name}")
    // A 204 has no body: a client that accepts only the error type (as generated clients do) is not refused.
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(operationId = "deleteMember", summary = "Delete a member")
    @SecurityRequirement(name = ApiSecurity.BEARER)
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "412", ref = "PreconditionFailed")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> delete(
            @RestPath String name,
            @Parameter(description = "ETags, strong comparison; '*' matches any.") @RestHeader("If-Match")
                    String ifMatch) {
        PathRules.name(name);
        return commands.delete(name, ifMatch).map(change -> Response.noContent().build());
    }

    private Response withTag(Response.ResponseBuilder builder, Member member) {
        byte[] body = json.member(member);
        return builder.entity(body)
                .type(MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .header("ETag", "\"" + json.etagOf(member) + "\"")
                .build();
    }

    private static URI location(Member member) {
        return URI.create("/members/" + PathSegments.encode(member.name()));
    }
}
