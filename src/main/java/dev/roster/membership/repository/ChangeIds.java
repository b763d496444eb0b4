package dev.roster.membership.repository;

import com.mongodb.MongoClientSettings;
import java.util.UUID;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

/**
 * Names under which the API's writes announce what they change, so that the change feed recognises them: an
 * update carries a fresh write id in field {@value MemberRepository#WRITE_ID} (its change event shows it among
 * the updated fields); a delete is known by the deleted document's {@code _id} (a delete event shows only that).
 */
public final class ChangeIds {

    private ChangeIds() {}

    /** A fresh id for one update (or one bulk batch), stored in the documents it writes. */
    public static String newWriteId() {
        return UUID.randomUUID().toString();
    }

    /** The change id of an update that stored {@code writeId}. */
    public static String written(String writeId) {
        return "w:" + writeId;
    }

    /** The change id of the deletion of the document whose {@code _id} is {@code documentId} (see {@link #of}). */
    public static String deleted(String documentId) {
        return "d:" + documentId;
    }

    /** A document's {@code _id} as text, the same whether it comes from a read document or a change event. */
    public static String of(BsonValue id) {
        if (id.isObjectId()) {
            return "oid:" + id.asObjectId().getValue().toHexString();
        }
        if (id.isString()) {
            return "s:" + id.asString().getValue();
        }
        return "j:" + new BsonDocument("v", id).toJson();
    }

    /** {@link #of(BsonValue)} of an {@code _id} as a read {@link Document} holds it. */
    public static String ofDocument(Document doc) {
        return of(new Document("_id", doc.get("_id"))
                .toBsonDocument(BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry())
                .get("_id"));
    }
}
