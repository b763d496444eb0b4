package dev.roster.membership.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The NDJSON bulk import ({@code roster.bulk.*}). */
@ConfigMapping(prefix = "roster.bulk")
public interface BulkConfig {

    /** Lines per unordered bulk write; each batch is evicted before the next begins (memory: one batch). */
    @WithDefault("1000")
    int batchSize();

    /** Rejected lines listed in the report; more are counted, not listed. */
    @WithDefault("1000")
    int maxReportedErrors();

    /** Largest request body of one import (a longer upload is answered 413 and stops there). */
    @WithDefault("512M")
    MemorySize maxBodySize();
}
