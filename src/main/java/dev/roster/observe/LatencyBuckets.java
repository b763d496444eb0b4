package dev.roster.observe;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;

/**
 * Fixed latency buckets ({@code _bucket} series) for the timers the dashboard takes percentiles of: HTTP
 * requests, cache loads and MongoDB commands. Percentiles are computed in Prometheus
 * ({@code histogram_quantile}) so that they aggregate across instances; a short fixed list keeps the series
 * count small (14 per tag combination) where Micrometer's own percentile histogram would publish ~70.
 */
@Singleton
public class LatencyBuckets implements MeterFilter {

    private static final Set<String> TIMERS = Set.of("http.server.requests", "cache.loads", "mongodb.driver.commands");

    private static final double[] BUCKETS = {
        millis(1),
        millis(2),
        millis(5),
        millis(10),
        millis(25),
        millis(50),
        millis(100),
        millis(250),
        millis(500),
        millis(1_000),
        millis(2_500),
        millis(5_000),
        millis(10_000),
        millis(30_000)
    };

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !TIMERS.contains(id.getName())) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .serviceLevelObjectives(BUCKETS)
                .build()
                .merge(config);
    }

    /** Timers' distribution settings are in nanoseconds. */
    private static double millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }
}
