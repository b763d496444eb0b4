package dev.roster.cache;

import dev.roster.support.Api;
import dev.roster.support.AuditProfile;
import dev.roster.support.Unique;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The staleness audit finds what a write that bypassed the API left stale, and nothing when all is fresh. */
@QuarkusTest
@TestProfile(AuditProfile.class)
class StalenessAuditTest {

    @Inject
    ReactiveMongoClient mongo;

    @ConfigProperty(name = "quarkus.mongodb.database")
    String database;

    @Inject
    MeterRegistry registry;

    private double audits(String result) {
        var c = registry.find("roster.cache.audits")
                .tag("cache", "member")
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldCountAMismatchWhenMongoChangedBehindTheCache() {
        String name = Unique.name("audit");
        Api.create(name, "T").then().statusCode(201);
        Api.memberView(name).then().statusCode(200);
        double matchesBefore = audits("match");
        Api.memberView(name).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> audits("match") > matchesBefore);
        double mismatches = audits("mismatch");
        mongo.getDatabase(database)
                .getCollection("members")
                .updateOne(new Document("name", name), new Document("$set", new Document("role", "sneaky")))
                .await()
                .atMost(Duration.ofSeconds(5));
        Api.memberView(name).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> audits("mismatch") > mismatches);
    }
}
