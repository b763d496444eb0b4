package dev.roster.membership.rest;

import dev.roster.membership.service.MemberCommands;
import dev.roster.membership.service.MemberQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Teams: the list of teams with sizes, a team's listing or page (cached, streamed), deleting a team. */
@Path("/teams")
@Produces(MediaType.APPLICATION_JSON)
public class TeamResource {

    private final MemberQueries queries;
    private final MemberCommands commands;

    public TeamResource(MemberQueries queries, MemberCommands commands) {
        this.queries = queries;
        this.commands = commands;
    }

    @GET
    public Uni<Response> teams(@RestHeader("If-None-Match") String ifNoneMatch, UriInfo uri) {
        return queries.teams().map(body -> CachedAnswers.of(body, ifNoneMatch, uri.getPath(), null));
    }

    @GET
    @Path("/{team}/members")
    public Uni<Response> members(
            @RestPath String team,
            @RestQuery String limit,
            @RestQuery String after,
            @RestHeader("If-None-Match") String ifNoneMatch,
            UriInfo uri) {
        PathRules.team(team);
        Integer pageSize = PathRules.limit(limit);
        PathRules.after(after);
        var body = pageSize == null ? queries.listing(team, after) : queries.page(team, pageSize, after);
        return body.map(b -> CachedAnswers.of(b, ifNoneMatch, uri.getPath(), null));
    }

    @DELETE
    @Path("/{team}")
    public Uni<Map<String, Long>> delete(@RestPath String team) {
        PathRules.team(team);
        return commands.deleteTeam(team).map(deleted -> Map.of("deleted", deleted));
    }
}
