package bench.baseline;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The baseline's routes: the cached listing (object, or serialized body in Redis or in Caffeine), and the
 * constant-JSON ceiling.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class TeamResource {

    /** A small constant answer: the most a Quarkus REST endpoint can serve on this machine. */
    private static final byte[] CONSTANT = "{\"team\":\"CONST\",\"count\":1,\"members\":[{\"name\":\"c\",\"team\":\"CONST\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private final TeamService service;

    public TeamResource(TeamService service) {
        this.service = service;
    }

    @GET
    @Path("teams/{team}/members")
    public Uni<TeamListing> members(@RestPath String team) {
        return service.listing(team);
    }

    /** The same listing from the cache that holds the serialized body: a hit writes the cached text as is. */
    @GET
    @Path("body/teams/{team}/members")
    public Uni<String> body(@RestPath String team) {
        return service.body(team);
    }

    /** The same listing from the in-process Caffeine cache of the serialized body. */
    @GET
    @Path("caffeine/teams/{team}/members")
    public Uni<String> caffeine(@RestPath String team) {
        return service.caffeineBody(team);
    }

    @GET
    @Path("ceiling/json")
    public byte[] constant() {
        return CONSTANT;
    }
}
