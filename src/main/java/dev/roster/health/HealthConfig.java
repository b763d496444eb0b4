package dev.roster.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the health checks on the management interface. */
@ConfigMapping(prefix = "roster.health")
public interface HealthConfig {

    /**
     * How long readiness waits for MongoDB before reporting it unreachable. Kept below the readiness probe's
     * timeout (2 s in k8s), so that a MongoDB outage shows in the check's data and never fails the probe.
     */
    @WithDefault("1s")
    Duration mongoTimeout();

    /** How long liveness waits for every event loop to run a no-op task before reporting this process stuck. */
    @WithDefault("1s")
    Duration eventLoopTimeout();

    /**
     * How often Redis's {@code maxmemory-policy} is read again after start, so that a Redis that failed over
     * or was reconfigured is noticed.
     */
    @WithDefault("1m")
    Duration redisPolicyRefresh();

    /** How long one {@code INFO memory} may take before the policy is reported unknown. */
    @WithDefault("2s")
    Duration redisPolicyTimeout();
}
