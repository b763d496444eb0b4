package dev.roster.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.support.Api;
import dev.roster.support.CacheOffProfile;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** With {@code roster.cache.enabled=false} every read computes, and says so. */
@QuarkusTest
@TestProfile(CacheOffProfile.class)
class CacheOffTest {

    @Test
    void shouldBypassTheCacheOnEveryReadWhenSwitchedOff() {
        String team = Unique.name("off");
        Api.create(team + "-1", team).then().statusCode(201);
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    "roster; fwd=bypass; detail=disabled",
                    Api.listing(team).then().statusCode(200).extract().header("Cache-Status"));
        }
        assertEquals(
                "roster; fwd=bypass; detail=disabled",
                Api.memberView(team + "-1").then().statusCode(200).extract().header("Cache-Status"));
    }
}
