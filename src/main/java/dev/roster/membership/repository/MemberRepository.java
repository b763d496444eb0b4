package dev.roster.membership.repository;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.client.result.DeleteResult;
import dev.roster.membership.Member;
import dev.roster.membership.TeamSize;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * MongoDB access for collection {@code members}, and nothing else. Every user value goes into a query as a
 * BSON value (never as a key or operator), so {@code {"$ne":null}} or {@code *} are matched literally.
 */
@ApplicationScoped
public class MemberRepository {

    static final String NAME = "name";
    static final String TEAM = "team";
    static final String EMAIL = "email";
    static final String ROLE = "role";
    static final String JOINED_AT = "joinedAt";
    static final String VERSION = "version";
    /** The id of the API write that last updated the document (see {@link ChangeIds}); not part of a member. */
    static final String WRITE_ID = "writeId";

    private static final int DUPLICATE_KEY = 11000;

    private final ReactiveMongoCollection<Document> members;

    public MemberRepository(
            ReactiveMongoClient client,
            @ConfigProperty(name = "quarkus.mongodb.database", defaultValue = "roster") String database) {
        this.members = client.getDatabase(database).getCollection("members");
    }

    /** Unique {@code name}, and {@code {team:1, name:1}} so that a listing is an index range scan. */
    public Uni<Void> createIndexes() {
        return members.createIndex(Indexes.ascending(NAME), new IndexOptions().unique(true))
                .chain(() -> members.createIndex(Indexes.ascending(TEAM, NAME)))
                .replaceWithVoid();
    }

    /** Whether both indexes exist (a MongoDB that lost its data, e.g. restarted in memory, lost them too). */
    public Uni<Boolean> indexesPresent() {
        return members.listIndexes()
                .map(doc -> doc.getString("name"))
                .collect()
                .asList()
                .map(names -> names.contains(NAME + "_1") && names.contains(TEAM + "_1_" + NAME + "_1"));
    }

    public Uni<Member> find(String name) {
        return members.find(Filters.eq(NAME, name), new FindOptions().limit(1))
                .toUni()
                .map(doc -> doc == null ? null : toMember(doc));
    }

    /** The member and its document's id, for a write that announces its change (see {@link ChangeIds}). */
    public Uni<StoredMember> findStored(String name) {
        return members.find(Filters.eq(NAME, name), new FindOptions().limit(1))
                .toUni()
                .map(doc -> doc == null ? null : new StoredMember(ChangeIds.ofDocument(doc), toMember(doc)));
    }

    public Uni<Long> count(String team) {
        return members.countDocuments(Filters.eq(TEAM, team));
    }

    /** Members of {@code team} whose name sorts after {@code after} (all when null), in name order. */
    public Multi<Member> listing(String team, String after, int limit) {
        Bson filter =
                after == null ? Filters.eq(TEAM, team) : Filters.and(Filters.eq(TEAM, team), Filters.gt(NAME, after));
        FindOptions options = new FindOptions().filter(filter).sort(Sorts.ascending(NAME));
        if (limit > 0) {
            options = options.limit(limit);
        }
        return members.find(options).map(MemberRepository::toMember);
    }

    public Multi<TeamSize> teamSizes() {
        return members.aggregate(List.of(
                        Aggregates.group("$" + TEAM, Accumulators.sum("count", 1)),
                        Aggregates.sort(Sorts.ascending("_id"))))
                .map(doc -> new TeamSize(doc.getString("_id"), ((Number) doc.get("count")).longValue()));
    }

    /**
     * Inserts a new member stamped with {@code writeId}; fails with {@link DuplicateNameException} when the name
     * exists.
     */
    public Uni<Member> insert(Member member, String writeId) {
        return members.insertOne(toDocument(member).append(WRITE_ID, writeId))
                .replaceWith(member)
                .onFailure(MemberRepository::isDuplicateKey)
                .transform(e -> new DuplicateNameException());
    }

    /**
     * Replaces team, email and role of the member at exactly {@code expected} (compare-and-set on name,
     * joinedAt and version), stamping the document with {@code writeId}; null when it changed or vanished
     * meanwhile. The compare-and-set matched exactly {@code expected}, so the member after it is known without
     * reading it back.
     */
    public Uni<Member> replace(Member expected, String team, String email, String role, String writeId) {
        List<Bson> updates = new ArrayList<>();
        updates.add(Updates.set(TEAM, team));
        updates.add(email == null ? Updates.unset(EMAIL) : Updates.set(EMAIL, email));
        updates.add(role == null ? Updates.unset(ROLE) : Updates.set(ROLE, role));
        updates.add(Updates.set(WRITE_ID, writeId));
        updates.add(Updates.inc(VERSION, 1L));
        return members.updateOne(sameRevision(expected), Updates.combine(updates))
                .map(r -> r.getMatchedCount() == 1
                        ? new Member(expected.name(), team, email, role, expected.joinedAt(), expected.version() + 1)
                        : null);
    }

    /** Deletes the member at exactly {@code expected}; false when it changed or vanished meanwhile. */
    public Uni<Boolean> delete(Member expected) {
        return members.deleteOne(sameRevision(expected)).map(r -> r.getDeletedCount() == 1);
    }

    /** Names of up to {@code limit} members of {@code team}, each with its document's id (see {@link ChangeIds}). */
    public Uni<Map<String, String>> namesOf(String team, int limit) {
        return members.find(new FindOptions()
                        .filter(Filters.eq(TEAM, team))
                        .projection(Projections.include(NAME))
                        .limit(limit))
                .collect()
                .in(LinkedHashMap::new, (map, doc) -> map.put(doc.getString(NAME), ChangeIds.ofDocument(doc)));
    }

    /** Deletes the named members of {@code team}. */
    public Uni<Long> deleteFromTeam(String team, Collection<String> names) {
        return members.deleteMany(Filters.and(Filters.eq(TEAM, team), Filters.in(NAME, names)))
                .map(DeleteResult::getDeletedCount);
    }

    /** Current team of each existing name among {@code names}. */
    public Multi<Member> findAll(Collection<String> names) {
        return members.find(new FindOptions().filter(Filters.in(NAME, names))).map(MemberRepository::toMember);
    }

    /**
     * Upserts members by name in one unordered bulk write: team, email and role replaced, {@code joinedAt}
     * kept for existing names, {@code version} incremented, every document stamped with {@code writeId}. Returns
     * one outcome per member, in order.
     */
    public Uni<List<UpsertOutcome>> upsertAll(List<Member> drafts, String writeId) {
        List<WriteModel<Document>> writes = new ArrayList<>(drafts.size());
        for (Member m : drafts) {
            writes.add(new UpdateOneModel<>(
                    Filters.eq(NAME, m.name()),
                    Updates.combine(
                            Updates.set(TEAM, m.team()),
                            m.email() == null ? Updates.unset(EMAIL) : Updates.set(EMAIL, m.email()),
                            m.role() == null ? Updates.unset(ROLE) : Updates.set(ROLE, m.role()),
                            Updates.setOnInsert(JOINED_AT, Date.from(m.joinedAt())),
                            Updates.set(WRITE_ID, writeId),
                            Updates.inc(VERSION, 1L)),
                    new UpdateOptions().upsert(true)));
        }
        return members.bulkWrite(writes, new BulkWriteOptions().ordered(false))
                .map(result -> outcomes(drafts.size(), result, List.of()))
                .onFailure(MongoBulkWriteException.class)
                .recoverWithItem(e -> {
                    MongoBulkWriteException b = (MongoBulkWriteException) e;
                    return outcomes(drafts.size(), b.getWriteResult(), b.getWriteErrors());
                });
    }

    private static List<UpsertOutcome> outcomes(int size, BulkWriteResult result, List<BulkWriteError> errors) {
        List<UpsertOutcome> outcomes = new ArrayList<>(java.util.Collections.nCopies(size, UpsertOutcome.UPDATED));
        for (BulkWriteUpsert upsert : result.getUpserts()) {
            outcomes.set(upsert.getIndex(), UpsertOutcome.INSERTED);
        }
        for (BulkWriteError error : errors) {
            outcomes.set(
                    error.getIndex(),
                    UpsertOutcome.failed(
                            error.getCode() == DUPLICATE_KEY
                                    ? "the name was taken concurrently; retry the line"
                                    : "the member could not be written"));
        }
        return outcomes;
    }

    static boolean isDuplicateKey(Throwable e) {
        return e instanceof com.mongodb.MongoWriteException w && w.getError().getCode() == DUPLICATE_KEY;
    }

    private static Bson sameRevision(Member m) {
        return Filters.and(
                Filters.eq(NAME, m.name()),
                Filters.eq(JOINED_AT, Date.from(m.joinedAt())),
                Filters.eq(VERSION, m.version()));
    }

    static Document toDocument(Member m) {
        Document doc = new Document(NAME, m.name()).append(TEAM, m.team());
        if (m.email() != null) {
            doc.append(EMAIL, m.email());
        }
        if (m.role() != null) {
            doc.append(ROLE, m.role());
        }
        return doc.append(JOINED_AT, Date.from(m.joinedAt())).append(VERSION, m.version());
    }

    static Member toMember(Document doc) {
        Date joined = doc.getDate(JOINED_AT);
        Number version = (Number) doc.get(VERSION);
        return new Member(
                doc.getString(NAME),
                doc.getString(TEAM),
                doc.getString(EMAIL),
                doc.getString(ROLE),
                joined == null ? Instant.EPOCH : joined.toInstant(),
                version == null ? 1L : version.longValue());
    }
}
