package dev.roster.faults;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.roster.support.Fleet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * What MongoDB holds, read directly (never through the proxy or an instance). Only the oracle of a test whose
 * fault makes the outcome of a write uncertain (did an aborted request land?): the assertions themselves are
 * always about what the instances answer over HTTP.
 */
final class StoredMembers implements AutoCloseable {

    private final MongoClient client;
    private final MongoCollection<Document> members;

    StoredMembers(Fleet fleet) {
        client = MongoClients.create(fleet.directMongoUri());
        members = client.getDatabase(fleet.database()).getCollection("members");
    }

    Optional<String> teamOf(String name) {
        Document doc = members.find(Filters.eq("name", name)).first();
        return doc == null ? Optional.empty() : Optional.of(doc.getString("team"));
    }

    /** The team of each name (names absent from MongoDB are left out). */
    Map<String, String> teamsOf(Collection<String> names) {
        Map<String, String> teams = new LinkedHashMap<>();
        for (Document doc : members.find(Filters.in("name", names))) {
            teams.put(doc.getString("name"), doc.getString("team"));
        }
        return teams;
    }

    @Override
    public void close() {
        client.close();
    }
}
