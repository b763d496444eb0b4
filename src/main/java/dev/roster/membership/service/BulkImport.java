package dev.roster.membership.service;

import dev.roster.cache.Tag;
import dev.roster.cache.TagInvalidator;
import dev.roster.membership.Member;
import dev.roster.membership.config.BulkConfig;
import dev.roster.membership.repository.ChangeIds;
import dev.roster.membership.repository.MemberRepository;
import dev.roster.membership.repository.UpsertOutcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a stream of bulk lines in batches: one unordered bulk write per batch, then the eviction of
 * everything that batch may have touched (member views, the teams members left and joined, the team list),
 * however the batch ended (an upload that broke off included; only a batch never sent to MongoDB, see
 * {@link WriteFailures}, evicts nothing), so memory stays bounded by one batch and every batch is invalid
 * before the next begins. Within a batch the last line of a name wins; a name repeated across batches is
 * applied (and counted) once per batch.
 */
@ApplicationScoped
public class BulkImport {

    private final MemberRepository repository;
    private final TagInvalidator invalidator;
    private final int batchSize;
    private final int maxReportedErrors;

    public BulkImport(MemberRepository repository, TagInvalidator invalidator, BulkConfig config) {
        this.repository = repository;
        this.invalidator = invalidator;
        this.batchSize = config.batchSize();
        this.maxReportedErrors = config.maxReportedErrors();
    }

    public Uni<BulkReport> apply(Multi<BulkLine> lines) {
        Tally tally = new Tally(maxReportedErrors);
        return lines.group()
                .intoLists()
                .of(batchSize)
                .onItem()
                .transformToUniAndConcatenate(batch -> applyBatch(batch, tally))
                .collect()
                .last()
                .map(ignored -> tally.report());
    }

    private Uni<Void> applyBatch(List<BulkLine> batch, Tally tally) {
        Map<String, BulkLine.Upsert> lastByName = new LinkedHashMap<>();
        for (BulkLine line : batch) {
            if (line instanceof BulkLine.Rejected r) {
                tally.fail(r.line(), r.error());
            } else if (line instanceof BulkLine.Upsert u) {
                lastByName.remove(u.name());
                lastByName.put(u.name(), u);
            }
        }
        if (lastByName.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<BulkLine.Upsert> upserts = new ArrayList<>(lastByName.values());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Member> drafts = upserts.stream()
                .map(u -> new Member(u.name(), u.team(), u.email(), u.role(), now, 1))
                .toList();
        return invalidator.write(scope -> repository
                .findAll(lastByName.keySet())
                .map(Member::team)
                .collect()
                .asSet()
                .chain(previousTeams -> {
                    scope.mayChange(tagsOf(upserts, previousTeams));
                    String writeId = ChangeIds.newWriteId();
                    return scope.announce(List.of(ChangeIds.written(writeId)))
                            .chain(() -> WriteFailures.markNeverSent(repository.upsertAll(drafts, writeId)));
                })
                .invoke(outcomes -> tally.record(upserts, outcomes))
                .replaceWithVoid());
    }

    private static List<Tag> tagsOf(List<BulkLine.Upsert> upserts, Set<String> previousTeams) {
        Set<Tag> tags = new HashSet<>();
        tags.add(Tag.of(CacheTags.TEAMS));
        previousTeams.forEach(t -> tags.add(Tag.of(CacheTags.TEAM, t)));
        for (BulkLine.Upsert u : upserts) {
            tags.add(Tag.of(CacheTags.MEMBER, u.name()));
            tags.add(Tag.of(CacheTags.TEAM, u.team()));
        }
        return new ArrayList<>(tags);
    }

    /** Running counts of one import; errors beyond the configured number are counted but not listed. */
    private static final class Tally {
        private final int maxErrors;
        private final List<BulkReport.LineError> errors = new ArrayList<>();
        private long inserted;
        private long updated;
        private long failed;

        Tally(int maxErrors) {
            this.maxErrors = maxErrors;
        }

        void fail(int line, String error) {
            failed++;
            if (errors.size() < maxErrors) {
                errors.add(new BulkReport.LineError(line, error));
            }
        }

        void record(List<BulkLine.Upsert> upserts, List<UpsertOutcome> outcomes) {
            for (int i = 0; i < upserts.size(); i++) {
                UpsertOutcome o = outcomes.get(i);
                if (o.error() != null) {
                    fail(upserts.get(i).line(), o.error());
                } else if (o.inserted()) {
                    inserted++;
                } else {
                    updated++;
                }
            }
        }

        BulkReport report() {
            errors.sort(java.util.Comparator.comparingInt(BulkReport.LineError::line));
            return new BulkReport(inserted, updated, failed, List.copyOf(errors));
        }
    }
}
