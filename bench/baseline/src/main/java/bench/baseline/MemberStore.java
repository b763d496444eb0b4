package bench.baseline;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.quarkus.mongodb.FindOptions;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Date;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads a team from the same collection Roster writes ({@code <database>.members}). */
@ApplicationScoped
public class MemberStore {

    private final ReactiveMongoCollection<Document> members;

    public MemberStore(ReactiveMongoClient client, @ConfigProperty(name = "baseline.mongodb.database") String database) {
        this.members = client.getDatabase(database).getCollection("members");
    }

    /** The whole team, sorted by name, collected into one object (what the cache stores). */
    public Uni<TeamListing> listing(String team) {
        return members.find(new FindOptions().filter(Filters.eq("team", team)).sort(Sorts.ascending("name")))
                .map(MemberStore::toMember)
                .collect()
                .asList()
                .map(list -> new TeamListing(team, list.size(), list));
    }

    private static Member toMember(Document doc) {
        Date joined = doc.getDate("joinedAt");
        Object version = doc.get("version");
        return new Member(
                doc.getString("name"),
                doc.getString("team"),
                doc.getString("email"),
                doc.getString("role"),
                joined == null ? null : joined.toInstant().toString(),
                version instanceof Number n ? n.longValue() : 0L);
    }
}
