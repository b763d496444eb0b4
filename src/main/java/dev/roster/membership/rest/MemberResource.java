package dev.roster.membership.rest;

import dev.roster.error.Problem;
import dev.roster.error.ValidationException;
import dev.roster.membership.Member;
import dev.roster.membership.service.MemberCommands;
import dev.roster.membership.service.MemberJson;
import dev.roster.membership.service.MemberQueries;
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
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/** Single members: read (cached), create, replace, delete. */
@Path("/members")
@Produces(MediaType.APPLICATION_JSON)
public class MemberResource {

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
    public Uni<Response> get(@RestPath String name, @RestHeader("If-None-Match") String ifNoneMatch, UriInfo uri) {
        PathRules.name(name);
        return queries.member(name)
                .map(body -> CachedAnswers.of(body, ifNoneMatch, uri.getPath(), "no member named '" + name + "'"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(MemberInput input) {
        MemberInput valid = bodies.valid(input);
        return commands.create(valid.name(), valid.team(), valid.email(), valid.role())
                .map(member -> withTag(Response.created(location(member)), member));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> replace(@RestPath String name, @RestHeader("If-Match") String ifMatch, MemberInput input) {
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
    public Uni<Response> delete(@RestPath String name, @RestHeader("If-Match") String ifMatch) {
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
