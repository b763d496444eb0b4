package dev.roster.membership.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Deleting a whole team ({@code roster.team-delete.*}). */
@ConfigMapping(prefix = "roster.team-delete")
public interface TeamDeleteConfig {

    /** Members deleted, then evicted, per batch. */
    @WithDefault("1000")
    int batchSize();
}
