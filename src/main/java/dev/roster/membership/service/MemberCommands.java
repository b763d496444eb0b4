package dev.roster.membership.service;

import static dev.roster.membership.service.WriteFailures.markNeverSent;

import dev.roster.cache.Tag;
import dev.roster.cache.TagInvalidator;
import dev.roster.cache.WriteScope;
import dev.roster.error.RosterException;
import dev.roster.membership.Member;
import dev.roster.membership.config.TeamDeleteConfig;
import dev.roster.membership.repository.ChangeIds;
import dev.roster.membership.repository.DuplicateNameException;
import dev.roster.membership.repository.MemberRepository;
import dev.roster.membership.repository.StoredMember;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every write of the API. Each declares the tags it may change before sending the command that may change
 * them; the cache evicts them after the write (however it ends, even when the client went away) and before the
 * answer, so the writer (and everyone else) never reads its own write stale. Only a failure that proves the
 * command was never sent ({@link WriteFailures#markNeverSent}) skips the eviction, so that stale-if-error keeps
 * answering; an outcome-unknown write (a timeout after sending, {@code timeoutMS} included) is a landed write.
 */
@ApplicationScoped
@RegisterForReflection(methods = true, fields = false)
public class MemberCommands {

    /** Compare-and-set attempts of a replace or delete that races other writers before giving up with 409. */
    private static final int ATTEMPTS = 3;

    private final MemberRepository repository;
    private final MemberJson json;
    private final TagInvalidator invalidator;
    private final int teamDeleteBatch;

    public MemberCommands(
            MemberRepository repository, MemberJson json, TagInvalidator invalidator, TeamDeleteConfig teamDelete) {
        this.repository = repository;
        this.json = json;
        this.invalidator = invalidator;
        this.teamDeleteBatch = teamDelete.batchSize();
    }

    /** Inserts a member; its own view, its team's and the list of teams are evicted (see {@link #replace}). */
    public Uni<Member> create(String name, String team, String email, String role) {
        Member member = new Member(name, team, email, role, Instant.now().truncatedTo(ChronoUnit.MILLIS), 1);
        return invalidator.write(scope -> {
            scope.mayChange(viewsOf(member));
            String writeId = ChangeIds.newWriteId();
            return scope.announce(List.of(ChangeIds.written(writeId)))
                    .chain(() -> markNeverSent(repository
                            .insert(member, writeId)
                            .onFailure(DuplicateNameException.class)
                            .transform(e -> RosterException.conflict("a member named '" + name + "' already exists"))));
        });
    }

    /**
     * Replaces a member's team, email and role. The member as it is before the write names the views it may
     * change (its own, the team it leaves, the team it joins, the list of teams); they are declared before the
     * compare-and-set is sent, so they are evicted whatever happens to it.
     */
    public Uni<MemberChange> replace(String name, String team, String email, String role, String ifMatch) {
        return invalidator.write(
                scope -> markNeverSent(replaceAttempt(scope, name, team, email, role, ifMatch, ATTEMPTS)));
    }

    /** Deletes a member; its own view, its team's and the list of teams are evicted (see {@link #replace}). */
    public Uni<MemberChange> delete(String name, String ifMatch) {
        return invalidator.write(scope -> markNeverSent(deleteAttempt(scope, name, ifMatch, ATTEMPTS)));
    }

    /**
     * Deletes a whole team in batches; each batch evicts its members, the team and the list of teams after it
     * ran, however it ended, unless it was never sent ({@link WriteFailures}). Repeats until the team is empty,
     * so members added meanwhile are deleted (and evicted) too.
     */
    public Uni<Long> deleteTeam(String team) {
        return markNeverSent(deleteTeamFrom(team, 0L));
    }

    private Uni<Long> deleteTeamFrom(String team, long deletedSoFar) {
        return repository.namesOf(team, teamDeleteBatch).chain(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().item(deletedSoFar);
            }
            List<String> names = List.copyOf(ids.keySet());
            return invalidator
                    .write(batch -> {
                        batch.mayChange(memberTags(names));
                        batch.mayChange(Tag.of(CacheTags.TEAM, team), Tag.of(CacheTags.TEAMS));
                        return batch.announce(deletions(ids.values()))
                                .chain(() -> markNeverSent(repository.deleteFromTeam(team, names)));
                    })
                    .chain(deleted -> deleteTeamFrom(team, deletedSoFar + deleted));
        });
    }

    private Uni<MemberChange> replaceAttempt(
            WriteScope scope, String name, String team, String email, String role, String ifMatch, int attemptsLeft) {
        return current(name, ifMatch).chain(stored -> {
            Member before = stored.member();
            if (before.sameContent(team, email, role)) {
                return Uni.createFrom().item(new MemberChange(before, before));
            }
            scope.mayChange(Tag.of(CacheTags.MEMBER, name), Tag.of(CacheTags.TEAM, before.team()));
            if (!before.team().equals(team)) {
                // Both teams' sizes change: the list of teams too.
                scope.mayChange(Tag.of(CacheTags.TEAM, team), Tag.of(CacheTags.TEAMS));
            }
            String writeId = ChangeIds.newWriteId();
            return scope.announce(List.of(ChangeIds.written(writeId)))
                    .chain(() -> repository.replace(before, team, email, role, writeId))
                    .chain(after -> after != null
                            ? Uni.createFrom().item(new MemberChange(before, after))
                            : retry(
                                    attemptsLeft,
                                    () -> replaceAttempt(scope, name, team, email, role, ifMatch, attemptsLeft - 1)));
        });
    }

    private Uni<MemberChange> deleteAttempt(WriteScope scope, String name, String ifMatch, int attemptsLeft) {
        return current(name, ifMatch).chain(stored -> {
            Member before = stored.member();
            scope.mayChange(viewsOf(before));
            return scope.announce(deletions(List.of(stored.documentId())))
                    .chain(() -> repository.delete(before))
                    .chain(deleted -> deleted
                            ? Uni.createFrom().item(new MemberChange(before, null))
                            : retry(attemptsLeft, () -> deleteAttempt(scope, name, ifMatch, attemptsLeft - 1)));
        });
    }

    /** Every view deleting this member may alter: its own, its team's, and the list of teams (sizes). */
    private static List<Tag> viewsOf(Member member) {
        return List.of(
                Tag.of(CacheTags.MEMBER, member.name()),
                Tag.of(CacheTags.TEAM, member.team()),
                Tag.of(CacheTags.TEAMS));
    }

    /** The member as it is now, checked against {@code If-Match}. */
    private Uni<StoredMember> current(String name, String ifMatch) {
        return repository.findStored(name).map(stored -> {
            if (stored == null) {
                throw RosterException.notFound("no member named '" + name + "'");
            }
            if (!Preconditions.ifMatch(ifMatch, json.etagOf(stored.member()))) {
                throw RosterException.preconditionFailed("the member changed since that ETag was issued");
            }
            return stored;
        });
    }

    /** The change ids under which the deletions of these documents are announced. */
    private static List<String> deletions(Collection<String> documentIds) {
        List<String> ids = new ArrayList<>(documentIds.size());
        for (String id : documentIds) {
            ids.add(ChangeIds.deleted(id));
        }
        return ids;
    }

    /** The member changed between our read and our compare-and-set: re-check (If-Match then fails with 412). */
    private static Uni<MemberChange> retry(int attemptsLeft, Supplier<Uni<MemberChange>> again) {
        if (attemptsLeft <= 1) {
            return Uni.createFrom()
                    .failure(RosterException.conflict("the member is being changed concurrently; retry"));
        }
        return again.get();
    }

    static List<Tag> memberTags(List<String> names) {
        List<Tag> tags = new ArrayList<>(names.size());
        for (String n : names) {
            tags.add(Tag.of(CacheTags.MEMBER, n));
        }
        return tags;
    }
}
