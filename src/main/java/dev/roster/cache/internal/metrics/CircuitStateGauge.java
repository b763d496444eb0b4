package dev.roster.cache.internal.metrics;

import dev.roster.cache.CacheHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;

/**
 * {@code roster.cache.circuit.state{state=closed|open|probing}}: 1 for the state the Redis circuit is in, 0 for
 * the others, so that "the circuit is open" is one alert ({@code roster_cache_circuit_state{state="open"} == 1})
 * and a graph shows which state each instance was in. Bound at start-up (Quarkus binds every
 * {@link MeterBinder} bean), before any request; read at each scrape.
 */
@Singleton
public class CircuitStateGauge implements MeterBinder {

    private static final List<String> STATES = List.of("closed", "open", "probing");

    private final CacheHealth health;

    CircuitStateGauge(CacheHealth health) {
        this.health = health;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String state : STATES) {
            Gauge.builder("roster.cache.circuit.state", health, h -> in(h, state))
                    .description("1 for the Redis circuit's current state (closed, open, probing), 0 otherwise")
                    .tag("state", state)
                    .strongReference(true)
                    .register(registry);
        }
    }

    private static double in(CacheHealth health, String state) {
        return health.circuit().toLowerCase(Locale.ROOT).equals(state) ? 1 : 0;
    }
}
