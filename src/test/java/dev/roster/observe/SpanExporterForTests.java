package dev.roster.observe;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps finished spans in memory. Quarkus exports spans to every {@code SpanExporter} bean, but only while the
 * SDK is on ({@link ObservedProfile}); with the default configuration this exporter must stay empty.
 */
@ApplicationScoped
public class SpanExporterForTests {

    @Produces
    @Singleton
    InMemorySpanExporter spans() {
        return InMemorySpanExporter.create();
    }
}
