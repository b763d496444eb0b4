package dev.roster.cache;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** A streamed miss whose body is never sent gives up its fleet lease at once, so nobody waits for it. */
@QuarkusTest
class StreamedMissTest {

    /** Above {@code roster.listing.whole-limit}: the listing is streamed. */
    private static final int MEMBERS = 1_001;

    @Inject
    MeterRegistry registry;

    private double leaseWaits() {
        Counter c = registry.find("roster.cache.lease.waits")
                .tag("cache", "team-listing")
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldReleaseTheLeaseWhenAStreamedMissIsAnsweredNotModified() {
        String team = Unique.name("big");
        Api.bulkTeam(team, MEMBERS);
        double before = leaseWaits();
        given().urlEncodingEnabled(false)
                .header("If-None-Match", "*")
                .get("/teams/" + Api.segment(team) + "/members")
                .then()
                .statusCode(304);
        String body = Api.listing(team).then().statusCode(200).extract().asString();
        assertTrue(body.contains(team + "-" + (MEMBERS - 1)), "the whole listing");
        assertEquals(before, leaseWaits(), "the next read did not wait for a lease nobody would release");
    }
}
