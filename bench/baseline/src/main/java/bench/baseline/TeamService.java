package bench.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;

/**
 * The textbook cached service methods, stock {@code @CacheResult}: two backed by quarkus-redis-cache, one caching
 * the listing object (encoded to JSON by the cache on a miss, decoded on every hit, then encoded again by the REST
 * layer), the other the serialized body (made by Jackson once, on a miss; a hit returns the text as is); and the
 * serialized body again in an in-process Caffeine cache (the stock peer of Roster's near cache, without its
 * coherence: an entry lives until it expires).
 */
@ApplicationScoped
public class TeamService {

    private final MemberStore store;
    private final ObjectMapper mapper;

    public TeamService(MemberStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    @CacheResult(cacheName = "members")
    public Uni<TeamListing> listing(String team) {
        return store.listing(team);
    }

    @CacheResult(cacheName = "members-body")
    public Uni<String> body(String team) {
        return store.listing(team)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(this::encode);
    }

    @CacheResult(cacheName = "members-caffeine")
    public Uni<String> caffeineBody(String team) {
        return store.listing(team)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(this::encode);
    }

    private String encode(TeamListing listing) {
        try {
            return mapper.writeValueAsString(listing);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
