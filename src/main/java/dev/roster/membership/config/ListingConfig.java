package dev.roster.membership.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How team listings are read and answered ({@code roster.listing.*}). */
@ConfigMapping(prefix = "roster.listing")
public interface ListingConfig {

    /**
     * Teams up to this size are answered whole, from one query, with a content-derived entity tag; larger ones
     * are counted, then streamed and never held whole.
     */
    @WithDefault("1000")
    int wholeLimit();

    /** Members per buffer of a streamed listing: the unit of backpressure and of writes to the socket. */
    @WithDefault("500")
    int membersPerBuffer();
}
