package dev.roster.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With the OpenTelemetry SDK on, a miss is a {@code roster.cache.lookup} span (result miss) holding a
 * {@code roster.cache.compute} and a {@code roster.cache.store} span, inside the HTTP server span; the next
 * request's lookup is a hit with neither.
 */
@QuarkusTest
@TestProfile(ObservedProfile.class)
class CacheSpansTest {

    private static final AttributeKey<String> KEY_HASH = AttributeKey.stringKey("roster.cache.key_hash");
    private static final AttributeKey<String> RESULT = AttributeKey.stringKey("roster.cache.result");
    private static final AttributeKey<Boolean> STORED = AttributeKey.booleanKey("roster.cache.stored");

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void shouldRecordLookupComputeAndStoreSpansOfAMissAndALookupSpanOfAHit() {
        String team = Unique.name("spans");
        Api.create(team + "-a", team).then().statusCode(201);
        Api.listing(team).then().statusCode(200);
        Api.listing(team).then().statusCode(200);

        String keyHash =
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> keyHashOfHit(), hash -> hash != null);
        List<SpanData> spans = exporter.getFinishedSpanItems().stream()
                .filter(s -> keyHash.equals(s.getAttributes().get(KEY_HASH)))
                .toList();
        SpanData miss = only(spans, "roster.cache.lookup", "miss");
        SpanData compute = only(spans, "roster.cache.compute", null);
        SpanData store = only(spans, "roster.cache.store", null);

        assertEquals(miss.getSpanId(), compute.getParentSpanId());
        assertEquals(miss.getSpanId(), store.getParentSpanId());
        assertEquals(Boolean.TRUE, store.getAttributes().get(STORED));
        SpanData server = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(miss.getParentSpanId()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parent span for " + miss));
        assertEquals(SpanKind.SERVER, server.getKind());
        assertTrue(server.getName().contains("/teams/{team}/members"), server.getName());
    }

    /** The key hash of the one lookup span whose result is a hit on the listing just read, once exported. */
    private String keyHashOfHit() {
        return exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("roster.cache.lookup"))
                .filter(s -> "hit".equals(s.getAttributes().get(RESULT)))
                .map(s -> s.getAttributes().get(KEY_HASH))
                .reduce((first, last) -> last)
                .orElse(null);
    }

    private static SpanData only(List<SpanData> spans, String name, String result) {
        List<SpanData> found = spans.stream()
                .filter(s -> s.getName().equals(name))
                .filter(s -> result == null || result.equals(s.getAttributes().get(RESULT)))
                .toList();
        assertEquals(1, found.size(), name + " " + result + " in " + spans);
        return found.get(0);
    }
}
