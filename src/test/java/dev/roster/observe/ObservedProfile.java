package dev.roster.observe;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Observability switched on as in a production that asks for it: JSON log lines (written to a file here, so
 * the test can read them), the cache's debug lines, and the OpenTelemetry SDK with spans kept in memory
 * ({@link SpanExporterForTests}) rather than sent anywhere.
 */
public class ObservedProfile implements QuarkusTestProfile {

    static final String LOG_FILE = "target/observed-json.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", LOG_FILE,
                "quarkus.log.file.json.enabled", "true",
                "quarkus.log.category.\"dev.roster.cache.internal.flight\".level", "DEBUG",
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.enabled", "false",
                "quarkus.otel.bsp.schedule.delay", "50ms");
    }
}
