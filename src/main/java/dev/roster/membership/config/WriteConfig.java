package dev.roster.membership.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of single-member writes ({@code roster.member.*}). */
@ConfigMapping(prefix = "roster.member")
public interface WriteConfig {

    /** Largest body of a POST or PUT of one member, and of one bulk line. */
    @WithDefault("1M")
    MemorySize maxBodySize();
}
