package dev.roster.faults;

import static dev.roster.faults.RosterClient.contentType;
import static dev.roster.faults.RosterClient.memberPath;
import static dev.roster.faults.RosterClient.query;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The security rules fail closed: a profile that application.properties does not name (here {@code staging}, as
 * an operator might start a pre-production instance) requires the writer token like {@code prod}. One more
 * instance of the packaged app, beside the fault fleet's (same MongoDB and Redis), started with
 * {@code -Dquarkus.profile=staging} and stopped after these tests.
 */
class UnlistedProfileIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private static final String NAME = "staging";

    private final RosterClient client = new RosterClient();

    @BeforeAll
    static void startStaging() throws Exception {
        FLEET.fleet().start(NAME, List.of("-Dquarkus.profile=" + NAME));
    }

    @AfterAll
    static void stopStaging() throws InterruptedException {
        FLEET.fleet().stop(NAME);
    }

    private static Fleet.Instance staging() {
        return FLEET.fleet().instance(NAME);
    }

    @Test
    void shouldAnswer401ProblemAndWriteNothingWhenAWriteCarriesNoToken() {
        String name = Unique.name("staging-anon");

        HttpResponse<String> post = client.send(
                staging().uri("/members"),
                "POST",
                null,
                "application/json",
                RosterClient.memberJson(name, Unique.name("staging-team"), null));

        assertAll(
                "an anonymous POST under profile staging",
                () -> assertEquals(401, post.statusCode(), post.body()),
                () -> assertTrue(contentType(post).startsWith("application/problem+json"), contentType(post)),
                () -> assertEquals(404, client.get(staging(), memberPath(name)).statusCode(), "nothing was created"));
    }

    @Test
    void shouldAnswer401ProblemWhenCacheAdministrationCarriesNoToken() {
        HttpResponse<String> evict = client.management(
                staging(), "POST", "/q/roster/cache/evict-tag?kind=member&value=" + query("anyone"), null);

        assertAll(
                "an anonymous cache eviction under profile staging",
                () -> assertEquals(401, evict.statusCode(), evict.body()),
                () -> assertTrue(contentType(evict).startsWith("application/problem+json"), contentType(evict)));
    }

    @Test
    void shouldApplyTheWriteAndServeItToAnyoneWhenTheTokenHasTheWriterRole() {
        String name = Unique.name("staging-writer");
        String team = Unique.name("staging-team");

        HttpResponse<String> post = client.send(
                staging().uri("/members"),
                "POST",
                RosterClient.WRITER,
                "application/json",
                RosterClient.memberJson(name, team, null));

        assertEquals(201, post.statusCode(), post.body());
        assertAll(
                "reads without a token",
                () -> assertEquals(
                        team,
                        client.member(staging(), name)
                                .map(m -> m.get("team").asText())
                                .orElse(null)),
                () -> assertTrue(client.listing(staging(), team).containsKey(name)),
                () -> assertEquals(1, client.teamCount(staging(), team)));
    }
}
