package dev.roster.membership.service;

import dev.roster.cache.CachedBody;
import dev.roster.cache.CachedResult;
import dev.roster.membership.Member;
import dev.roster.membership.TeamSize;
import dev.roster.membership.config.ListingConfig;
import dev.roster.membership.repository.MemberRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Every read of the API, each one a cached result kept as response bytes. Listings, pages and counts of a
 * team depend on tag {@code team}; the list of teams on tag {@code teams}; a member view on tag {@code
 * member}.
 */
@Singleton
@RegisterForReflection(methods = true, fields = false)
public class MemberQueries {

    private final MemberRepository repository;
    private final MemberJson json;
    private final int wholeListingLimit;
    private final int membersPerBuffer;

    public MemberQueries(MemberRepository repository, MemberJson json, ListingConfig listing) {
        this.repository = repository;
        this.json = json;
        this.wholeListingLimit = listing.wholeLimit();
        this.membersPerBuffer = listing.membersPerBuffer();
    }

    @CachedResult(cache = "member", tags = "member:{name}", shape = Member.class)
    public Uni<CachedBody> member(String name) {
        return repository.find(name).map(m -> m == null ? CachedBody.absent() : CachedBody.of(json.member(m), false));
    }

    /**
     * The whole team (or, with {@code after}, the rest of it) in name order. A team that fits the whole-body
     * limit costs one query and is answered whole, with a content-derived entity tag; a larger one is
     * counted, then streamed (the first batch already read, then the rest after its last name), never held.
     */
    @CachedResult(cache = "team-listing", tags = "team:{team}", shape = Member.class)
    public Uni<CachedBody> listing(String team, String after) {
        return repository
                .listing(team, after, wholeListingLimit + 1)
                .collect()
                .asList()
                .chain(first -> {
                    if (first.size() <= wholeListingLimit && after == null) {
                        return Uni.createFrom().item(whole(team, first.size(), first, null));
                    }
                    return repository
                            .count(team)
                            .map(count -> first.size() <= wholeListingLimit
                                    ? whole(team, count, first, null)
                                    : CachedBody.streamed(
                                            json.listing(team, count, rest(team, first), membersPerBuffer), false));
                });
    }

    /** A page of at most {@code limit} members after {@code after}, with {@code next} when more follow. */
    @CachedResult(cache = "team-page", tags = "team:{team}", shape = Member.class)
    public Uni<CachedBody> page(String team, int limit, String after) {
        return repository.listing(team, after, limit + 1).collect().asList().chain(members -> {
            boolean more = members.size() > limit;
            List<Member> shown = more ? members.subList(0, limit) : members;
            String next = more ? shown.get(shown.size() - 1).name() : null;
            if (after == null && !more) {
                return Uni.createFrom().item(whole(team, shown.size(), shown, null));
            }
            return repository.count(team).map(count -> whole(team, count, shown, next));
        });
    }

    @CachedResult(cache = "teams", tags = "teams", shape = TeamSize.class)
    public Uni<CachedBody> teams() {
        return repository.teamSizes().collect().asList().map(t -> CachedBody.of(json.teams(t), t.isEmpty()));
    }

    private CachedBody whole(String team, long count, List<Member> members, String next) {
        return CachedBody.of(json.page(team, count, members, next), members.isEmpty());
    }

    /** The members already read, then the rest of the team after the last of them. */
    private Multi<Member> rest(String team, List<Member> first) {
        String last = first.get(first.size() - 1).name();
        return Multi.createBy()
                .concatenating()
                .streams(Multi.createFrom().iterable(first), repository.listing(team, last, 0));
    }
}
