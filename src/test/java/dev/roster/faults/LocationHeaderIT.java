package dev.roster.faults;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /members} answers a {@code Location} that a client can follow as is: each reserved character of
 * the name is percent-encoded, and a GET of exactly that Location (resolved like any URI reference) reaches the
 * member.
 */
class LocationHeaderIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    /** Characters that change a path's meaning when left raw: matrix parameters, query, fragment, segments. */
    private static final String MUST_BE_ENCODED = ";?#/ ";

    private final RosterClient client = new RosterClient();

    @ParameterizedTest(name = "name with \"{0}\"")
    @ValueSource(strings = {";", ";a=b,c", "?", "#", "/", "%", " ", "%3B"})
    void shouldReachTheMemberThroughItsLocationWhenTheNameHoldsReservedCharacters(String reserved) {
        Fleet.Instance a = FLEET.a();
        String name = "x" + reserved + "colon-" + Unique.name("loc");
        HttpResponse<String> created = client.send(
                a.uri("/members"),
                "POST",
                RosterClient.WRITER,
                "application/json",
                RosterClient.memberJson(name, Unique.name("loc-team"), null));
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElse("");

        URI target = assertDoesNotThrow(
                () -> a.uri("/").resolve(new URI(location)), "Location is not a URI reference: " + location);
        String rawPath = target.getRawPath();
        String segment = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        HttpResponse<String> followed = client.send(target, "GET", null, null, null);

        assertAll(
                "Location " + location + " for the name '" + name + "'",
                () -> assertNull(target.getRawQuery(), "a raw '?' made part of the name a query"),
                () -> assertNull(target.getRawFragment(), "a raw '#' made part of the name a fragment"),
                () -> assertEquals("/members/" + segment, rawPath, "the name must be one path segment"),
                () -> assertFalse(
                        segment.chars().anyMatch(c -> MUST_BE_ENCODED.indexOf(c) >= 0),
                        "reserved characters must be percent-encoded: " + segment),
                () -> assertEquals(name, URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)),
                () -> assertEquals(200, followed.statusCode(), "GET " + target + " answered " + followed.body()),
                () -> assertEquals(
                        name,
                        followed.statusCode() == 200
                                ? RosterClient.json(followed).get("name").asText()
                                : null,
                        "GET of the Location must serve the member"));
    }
}
