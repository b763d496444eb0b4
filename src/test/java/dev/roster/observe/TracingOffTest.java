package dev.roster.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.roster.cache.internal.metrics.CacheSpans;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * By default the OpenTelemetry SDK is off ({@code quarkus.otel.sdk.disabled=true}): the cache starts no span
 * and nothing is exported (Quarkus then installs no HTTP or Redis tracing either).
 */
@QuarkusTest
class TracingOffTest {

    @Inject
    CacheSpans spans;

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void shouldRecordNoSpanWhenTheSdkIsOff() {
        String team = Unique.name("untraced");
        Api.create(team + "-a", team).then().statusCode(201);
        Api.listing(team).then().statusCode(200);
        Api.listing(team).then().statusCode(200);

        assertFalse(spans.enabled());
        assertEquals(0, exporter.getFinishedSpanItems().size());
    }
}
