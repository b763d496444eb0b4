package dev.roster.membership.changes;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Changes made directly in MongoDB (another service, a script) reach every cached view through the change feed:
 * each test caches the views first (a hit proves it), writes MongoDB behind the API's back, then waits until the
 * API serves the new state. The API's own writes are recognised by the feed and never make it evict everything.
 */
@QuarkusTest
class OutsideWritesTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Inject
    MongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Inject
    MeterRegistry registry;

    private MongoCollection<Document> members;
    private String team;
    private String other;
    private String name;

    @BeforeEach
    void seed() {
        members = mongo.getDatabase(database).getCollection("members");
        team = Unique.name("outT");
        other = Unique.name("outO");
        name = Unique.name("out");
        Api.create(name, team).then().statusCode(201);
        awaitFeedIdle();
        cacheViews();
    }

    @Test
    void anInsertOutsideTheApiIsListed() {
        String newcomer = Unique.name("outNew");
        members.insertOne(outsideDocument(newcomer, team));
        await().atMost(WITHIN).untilAsserted(() -> Api.listing(team).then().body(containsString(newcomer)));
        await().atMost(WITHIN).untilAsserted(() -> given().get("/teams").then().body(containsString(team)));
        Api.memberView(newcomer).then().statusCode(200);
    }

    @Test
    void anUpdateOutsideTheApiIsServed() {
        members.updateOne(Filters.eq("name", name), Updates.set("email", "changed@example.com"));
        await().atMost(WITHIN)
                .untilAsserted(() -> Api.memberView(name).then().body(containsString("changed@example.com")));
        await().atMost(WITHIN)
                .untilAsserted(() -> Api.listing(team).then().body(containsString("changed@example.com")));
    }

    @Test
    void aMoveOutsideTheApiLeavesTheOldTeamAndJoinsTheNew() {
        members.updateOne(Filters.eq("name", name), Updates.set("team", other));
        await().atMost(WITHIN).untilAsserted(() -> Api.listing(team).then().body(not(containsString(name))));
        await().atMost(WITHIN).untilAsserted(() -> Api.listing(other).then().body(containsString(name)));
        await().atMost(WITHIN)
                .untilAsserted(() -> Api.memberView(name).then().body(containsString("\"team\":\"" + other + "\"")));
    }

    @Test
    void aReplaceOutsideTheApiIsServed() {
        members.replaceOne(Filters.eq("name", name), outsideDocument(name, other));
        await().atMost(WITHIN).untilAsserted(() -> Api.listing(team).then().body(not(containsString(name))));
        await().atMost(WITHIN).untilAsserted(() -> Api.listing(other).then().body(containsString(name)));
    }

    @Test
    void aDeleteOutsideTheApiIsGoneEverywhere() {
        members.deleteOne(Filters.eq("name", name));
        await().atMost(WITHIN).untilAsserted(() -> Api.memberView(name).then().statusCode(404));
        await().atMost(WITHIN).untilAsserted(() -> Api.listing(team).then().body(not(containsString(name))));
        await().atMost(WITHIN).untilAsserted(() -> given().get("/teams").then().body(not(containsString(team))));
    }

    @Test
    void theApisOwnWritesNeverEvictEverything() {
        double everythingBefore = count("everything");
        double seenBefore = total();
        String moved = Unique.name("outApi");
        Api.create(moved, team).then().statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("team", other))
                .put("/members/" + moved)
                .then()
                .statusCode(200);
        String lines = "{\"name\":\"" + moved + "\",\"team\":\"" + team + "\"}\n" + "{\"name\":\"" + moved
                + "b\",\"team\":\"" + team + "\"}\n";
        given().contentType("application/x-ndjson")
                .body(lines.getBytes(StandardCharsets.UTF_8))
                .post("/members/bulk")
                .then()
                .statusCode(200);
        given().delete("/members/" + moved).then().statusCode(204);
        Api.deleteTeam(team).then().statusCode(200);
        // create, replace, two bulk lines, delete, and the team delete's two members
        await().atMost(WITHIN).until(() -> total() >= seenBefore + 7);
        assertEquals(everythingBefore, count("everything"), "the API's own writes evicted everything");
    }

    /** Caches the member, its team's listing and the team list, and checks the second read of each is a hit. */
    private void cacheViews() {
        for (int i = 0; i < 2; i++) {
            Api.memberView(name).then().statusCode(200);
            Api.listing(team).then().statusCode(200);
            Api.listing(other).then().statusCode(200);
            given().get("/teams").then().statusCode(200);
        }
        Api.listing(team).then().header("Cache-Status", containsString("hit"));
    }

    /** Lets the feed apply the seed's own changes, so that a test's outside change is the only one in flight. */
    private void awaitFeedIdle() {
        double[] last = {-1};
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> {
            double now = total();
            boolean idle = now == last[0];
            last[0] = now;
            return idle;
        });
    }

    private static Document outsideDocument(String name, String team) {
        return new Document("name", name)
                .append("team", team)
                .append("email", name + "@outside.example")
                .append("joinedAt", new Date())
                .append("version", 1L);
    }

    private double count(String resolution) {
        Counter c =
                registry.find("roster.changes").tag("resolution", resolution).counter();
        return c == null ? 0 : c.count();
    }

    private double total() {
        return registry.find("roster.changes").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
