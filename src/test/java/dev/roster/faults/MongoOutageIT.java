package dev.roster.faults;

import static dev.roster.faults.RosterClient.contentType;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MongoDB unreachable (the proxy refuses and closes every connection): the pod stays ready, because it still
 * serves cached copies and clean 503s (a shared outage must never take every pod out of the Service); MongoDB's
 * state is in the readiness check's data.
 */
class MongoOutageIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private final RosterClient client = new RosterClient();

    @Test
    void shouldStayReadyAndServeCachedCopiesWhenMongoDBIsDown() {
        Fleet.Instance a = FLEET.a();
        String team = Unique.name("outage");
        String cached = Unique.name("outage-cached");
        String uncached = Unique.name("outage-uncached");
        client.create(a, cached, team, null);
        client.create(a, uncached, team, null);
        client.warm(a, memberPath(cached));

        HttpResponse<String> ready;
        HttpResponse<String> live;
        HttpResponse<String> cachedGet;
        HttpResponse<String> uncachedGet;
        FLEET.proxy().refuse();
        try {
            uncachedGet = client.get(a, memberPath(uncached));
            cachedGet = client.get(a, memberPath(cached));
            ready = client.management(a, "GET", "/q/health/ready", null);
            live = client.management(a, "GET", "/q/health/live", null);
        } finally {
            FLEET.proxy().pass();
        }

        JsonNode readiness = RosterClient.json(ready);
        JsonNode mongoCheck = null;
        for (JsonNode check : readiness.path("checks")) {
            if (check.path("name").asText().contains("mongo")) {
                mongoCheck = check;
            }
        }
        JsonNode mongo = mongoCheck;
        assertAll(
                () -> assertEquals(200, ready.statusCode(), "/q/health/ready: " + ready.body()),
                () -> assertEquals("UP", readiness.path("status").asText(), "/q/health/ready: " + ready.body()),
                () -> assertTrue(
                        mongo != null && mongo.path("data").size() > 0,
                        "MongoDB's state must be in the readiness data: " + ready.body()),
                () -> assertEquals(200, live.statusCode(), "/q/health/live: " + live.body()),
                () -> assertEquals(200, cachedGet.statusCode(), "a cached member: " + cachedGet.body()),
                () -> assertEquals(503, uncachedGet.statusCode(), "an uncached member: " + uncachedGet.body()),
                () -> assertTrue(
                        contentType(uncachedGet).startsWith("application/problem+json"), contentType(uncachedGet)),
                () -> assertFalse(
                        uncachedGet.headers().firstValue("Retry-After").isEmpty(), "the 503 needs Retry-After"));
    }
}
