package dev.roster.membership.changes;

import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.UpdateDescription;
import dev.roster.membership.repository.ChangeIds;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * One change of the members collection, as the change feed needs it, whatever server reported it.
 *
 * @param kind what happened
 * @param documentId the changed document's {@code _id} as {@link ChangeIds#of} writes it; null when unknown
 * @param after the document after the change: exact for an insert or replace; for an update the document as
 *     looked up when the event was read (possibly later than the change); null when unknown or deleted since
 * @param before the document before the change (a pre-image); null when the server keeps none
 * @param changed the top-level fields an update set or removed; null when unknown (insert, replace, delete)
 * @param writeId the write id an API update stored in the document ({@link ChangeIds#newWriteId}); null if none
 * @param position the resume token of this event, as JSON
 * @param wallTime when the change was made, by the server's clock; null when the server does not say
 */
record ChangeEvent(
        Kind kind,
        String documentId,
        Document after,
        Document before,
        Set<String> changed,
        String writeId,
        String position,
        Instant wallTime) {

    /** The kinds of change; {@code OTHER} covers collection and database events (drop, rename, invalidate). */
    enum Kind {
        INSERT,
        UPDATE,
        REPLACE,
        DELETE,
        OTHER
    }

    static final String WRITE_ID = "writeId";

    /**
     * The event as MongoDB reports it. The MongoDB wire-protocol server used in development and tests
     * (mongo-java-server) reports updates and replacements differently, and only here is that absorbed: its
     * update event carries the update document ({@code {"$set": {...}, "$inc": {...}}}) as the document key and
     * the {@code $set} part as the full document, without {@code _id}; its replace event carries the replacement
     * (with {@code _id}) as the document key and an empty full document.
     */
    static ChangeEvent of(ChangeStreamDocument<Document> e) {
        String position = e.getResumeToken() == null ? null : e.getResumeToken().toJson();
        Instant wall = e.getWallTime() == null
                ? null
                : Instant.ofEpochMilli(e.getWallTime().getValue());
        BsonDocument key = e.getDocumentKey();
        Kind kind = kindOf(e.getOperationTypeString());
        if (key != null && !key.containsKey("_id") && kind == Kind.UPDATE) {
            return emulatedUpdate(key, position, wall);
        }
        Document after = e.getFullDocument();
        if (kind == Kind.REPLACE && key != null && key.size() > 1 && (after == null || after.isEmpty())) {
            after = Document.parse(key.toJson());
        }
        String id = key == null || !key.containsKey("_id") ? null : ChangeIds.of(key.get("_id"));
        Set<String> changed = null;
        String writeId = null;
        UpdateDescription update = e.getUpdateDescription();
        if (kind == Kind.UPDATE && update != null) {
            changed = new HashSet<>();
            if (update.getUpdatedFields() != null) {
                changed.addAll(topLevel(update.getUpdatedFields().keySet()));
                writeId = stringOf(update.getUpdatedFields().get(WRITE_ID));
            }
            if (update.getRemovedFields() != null) {
                changed.addAll(topLevel(update.getRemovedFields()));
            }
        } else if (after != null && kind != Kind.UPDATE) {
            writeId = after.get(WRITE_ID) instanceof String w ? w : null;
        }
        return new ChangeEvent(kind, id, after, e.getFullDocumentBeforeChange(), changed, writeId, position, wall);
    }

    private static ChangeEvent emulatedUpdate(BsonDocument update, String position, Instant wall) {
        Set<String> changed = new HashSet<>();
        String writeId = null;
        for (String operator : update.keySet()) {
            BsonValue fields = update.get(operator);
            if (fields.isDocument()) {
                changed.addAll(topLevel(fields.asDocument().keySet()));
                if ("$set".equals(operator)) {
                    writeId = stringOf(fields.asDocument().get(WRITE_ID));
                }
            }
        }
        return new ChangeEvent(Kind.UPDATE, null, null, null, changed, writeId, position, wall);
    }

    private static Kind kindOf(String operation) {
        return switch (operation == null ? "" : operation) {
            case "insert" -> Kind.INSERT;
            case "update" -> Kind.UPDATE;
            case "replace" -> Kind.REPLACE;
            case "delete" -> Kind.DELETE;
            default -> Kind.OTHER;
        };
    }

    /** {@code team} for {@code team}, {@code team} for {@code team.sub} (a dotted path changes its root field). */
    private static Set<String> topLevel(Iterable<String> paths) {
        Set<String> roots = new HashSet<>();
        for (String path : paths) {
            int dot = path.indexOf('.');
            roots.add(dot < 0 ? path : path.substring(0, dot));
        }
        return roots;
    }

    private static String stringOf(BsonValue value) {
        return value != null && value.isString() ? value.asString().getValue() : null;
    }
}
