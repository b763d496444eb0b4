package dev.roster.membership.rest;

import dev.roster.membership.service.MemberCommands;
import dev.roster.membership.service.MemberFields;
import dev.roster.membership.service.MemberQueries;
import dev.roster.openapi.ApiSchemas;
import dev.roster.openapi.ApiSecurity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Teams: the list of teams with sizes, a team's listing or page (cached, streamed), deleting a team. */
@Path("/teams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Teams")
public class TeamResource {

    private final MemberQueries queries;
    private final MemberCommands commands;

    public TeamResource(MemberQueries queries, MemberCommands commands) {
        this.queries = queries;
        this.commands = commands;
    }

    @GET
    @Operation(operationId = "listTeams", summary = "Every team with its size (cached)")
    @APIResponse(
            responseCode = "200",
            description = "The teams, ordered by team.",
            headers = {
                @Header(name = "ETag", ref = "ETag"),
                @Header(name = "Cache-Status", ref = "Cache-Status"),
                @Header(name = "Vary", ref = "Vary"),
                @Header(name = "Content-Encoding", ref = "Content-Encoding")
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiSchemas.Teams.class),
                            examples =
                                    @ExampleObject(
                                            name = "teams",
                                            value = "{\"teams\":[{\"team\":\"ALPHA\",\"count\":3}],\"count\":1}")))
    @APIResponse(responseCode = "304", ref = "NotModified")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> teams(
            @Parameter(description = "ETags, weak comparison; '*' matches any.") @RestHeader("If-None-Match")
                    String ifNoneMatch,
            @Parameter(description = CachedAnswers.ACCEPT_ENCODING_DOC) @RestHeader("Accept-Encoding")
                    String acceptEncoding,
            UriInfo uri) {
        return queries.teams().map(body -> CachedAnswers.of(body, ifNoneMatch, acceptEncoding, uri.getPath(), null));
    }

    @GET
    @Path("/{team}/members")
    @Operation(
            operationId = "getTeamMembers",
            summary = "A team's members in name order (cached)",
            description = "Whole (up to 1,000 members with Content-Length, larger teams streamed chunked), or a"
                    + " page with limit and after. An unknown team is count 0 and no members.")
    @APIResponse(
            responseCode = "200",
            description = "The listing or page; next only when more members follow.",
            headers = {
                @Header(name = "ETag", ref = "ETag"),
                @Header(name = "Cache-Status", ref = "Cache-Status"),
                @Header(name = "Vary", ref = "Vary"),
                @Header(name = "Content-Encoding", ref = "Content-Encoding")
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiSchemas.TeamListing.class),
                            examples =
                                    @ExampleObject(
                                            name = "page",
                                            value = "{\"team\":\"ALPHA\",\"count\":3,\"members\":[{\"name\":\"ada\","
                                                    + "\"team\":\"ALPHA\",\"joinedAt\":\"2026-01-05T09:30:00.123Z\","
                                                    + "\"version\":1}],\"next\":\"ada\"}")))
    @APIResponse(responseCode = "304", ref = "NotModified")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Response> members(
            @RestPath String team,
            @Parameter(
                            description = "Page size; without it the whole (rest of the) team.",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "" + PathRules.PAGE_MIN,
                                            maximum = "" + PathRules.PAGE_MAX),
                            example = "50")
                    @RestQuery
                    String limit,
            @Parameter(
                            description = "List the names after this one (a previous page's next).",
                            schema =
                                    @Schema(type = SchemaType.STRING, minLength = 1, maxLength = MemberFields.NAME_MAX))
                    @RestQuery
                    String after,
            @Parameter(description = "ETags, weak comparison; '*' matches any.") @RestHeader("If-None-Match")
                    String ifNoneMatch,
            @Parameter(description = CachedAnswers.ACCEPT_ENCODING_DOC) @RestHeader("Accept-Encoding")
                    String acceptEncoding,
            UriInfo uri) {
        PathRules.team(team);
        Integer pageSize = PathRules.limit(limit);
        PathRules.after(after);
        var body = pageSize == null ? queries.listing(team, after) : queries.page(team, pageSize, after);
        return body.map(b -> CachedAnswers.of(b, ifNoneMatch, acceptEncoding, uri.getPath(), null));
    }

    @DELETE
    @Path("/{team}")
    @Operation(operationId = "deleteTeam", summary = "Delete every member of a team")
    @SecurityRequirement(name = ApiSecurity.BEARER)
    @APIResponse(
            responseCode = "200",
            description = "How many members were deleted.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiSchemas.TeamDeletion.class),
                            examples = @ExampleObject(name = "deleted", value = "{\"deleted\":3}")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    public Uni<Map<String, Long>> delete(@RestPath String team) {
        PathRules.team(team);
        return commands.deleteTeam(team).map(deleted -> Map.of("deleted", deleted));
    }
}
