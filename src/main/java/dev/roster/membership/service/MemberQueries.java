package dev.roster.membership.service;

import dev.roster.cache.CachedBody;
import dev.roster.cache.CachedResult;
import dev.roster.membership.repository.MemberRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every read of the API, each one a cached result kept as response bytes. Listings, pages and counts of a
 * team depend on tag {@code team}; the list of teams on tag {@code teams}; a member view on tag {@code
 * member}.
 */
@ApplicationScoped
@RegisterForReflection(methods = true, fields = false)
public class MemberQueries {

    private final MemberRepository repository;
    private final MemberJson json;
    private final int wholeListingLimit;
    private final int membersPerBuffer;

    public MemberQueries(
            MemberRepository repository,
            MemberJson json,
            @ConfigProperty(name = "roster.listing.whole-limit") int wholeListingLimit,
            @ConfigProperty(name = "roster.listing.members-per-buffer") int membersPerBuffer) {
        this.repository = repository;
        this.json = json;
        this.wholeListingLimit = wholeListingLimit;
        this.membersPerBuffer = membersPerBuffer;
    }

    @CachedResult(cache = "member", tags = "member:{name}", shape = Member.class)
    public Uni<CachedBody> member(String name) {
        return repository.find(name).map(m -> m == null ? CachedBody.absent() : CachedBody.of(json.member(m), false));
    }

    /**
     * The whole team (or, with {@code after}, the rest of it) in name order. Small teams are answered whole,
     * with a content-derived entity tag; larger ones are streamed, never held in memory.
     */
    @CachedResult(cache = "team-listing", tags = "team:{team}", shape = Member.class)
    public Uni<CachedBody> listing(String team, String after) {
        return repository
                .count(team)
                .chain(count -> count > wholeListingLimit
                        ? Uni.createFrom()
                                .item(CachedBody.streamed(
                                        json.listing(team, count, repository.listing(team, after, 0), membersPerBuffer),
                                        false))
                        : repository
                                .listing(team, after, 0)
                                .collect()
                                .asList()
                                .map(members ->
                                        CachedBody.of(json.page(team, count, members, null), members.isEmpty())));
    }

    /** A page of at most {@code limit} members after {@code after}, with {@code next} when more follow. */
    @CachedResult(cache = "team-page", tags = "team:{team}", shape = Member.class)
    public Uni<CachedBody> page(String team, int limit, String after) {
        return repository
                .count(team)
                .chain(count -> repository
                        .listing(team, after, limit + 1)
                        .collect()
                        .asList()
                        .map(members -> {
                            boolean more = members.size() > limit;
                            var shown = more ? members.subList(0, limit) : members;
                            String next = more ? shown.get(shown.size() - 1).name() : null;
                            return CachedBody.of(json.page(team, count, shown, next), shown.isEmpty());
                        }));
    }

    @CachedResult(cache = "teams", tags = "teams", shape = TeamSize.class)
    public Uni<CachedBody> teams() {
        return repository.teamSizes().collect().asList().map(t -> CachedBody.of(json.teams(t), t.isEmpty()));
    }
}
