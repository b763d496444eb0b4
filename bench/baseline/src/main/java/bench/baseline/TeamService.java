package bench.baseline;

import io.quarkus.cache.CacheResult;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The textbook cached service method: stock {@code @CacheResult}, backed by quarkus-redis-cache. */
@ApplicationScoped
public class TeamService {

    private final MemberStore store;

    public TeamService(MemberStore store) {
        this.store = store;
    }

    @CacheResult(cacheName = "members")
    public Uni<TeamListing> listing(String team) {
        return store.listing(team);
    }
}
