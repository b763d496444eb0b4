package dev.roster.membership.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Following MongoDB's change stream of the members collection to evict what every change may alter ({@code roster.change-feed.*}). */
@ConfigMapping(prefix = "roster.change-feed")
public interface ChangeFeedConfig {

    /** Off: only the writing instance evicts, on its own path to Redis (changes made outside the API wait for TTLs). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Ask for pre-images ({@code fullDocumentBeforeChange: whenAvailable}), so that a change made outside the API
     * is evicted exactly where the collection keeps them (MongoDB 6.0+, {@code changeStreamPreAndPostImages}).
     * Turned off by itself when the server does not know the option.
     */
    @WithDefault("true")
    boolean preImages();

    /**
     * How long start-up waits for the feed to open the stream (and, without a saved position, to evict every
     * entry), so that an instance does not begin serving while that eviction is still to come. A feed that fails
     * or finds no change stream ends the wait at once.
     */
    @WithDefault("5s")
    Duration startWait();

    /** Longest wait of one read of the stream on a server that awaits data (MongoDB's {@code maxAwaitTimeMS}). */
    @WithDefault("500ms")
    Duration maxAwait();

    /** Pause after a read that found nothing, on a server that answers at once (bounds the lag it adds). */
    @WithDefault("20ms")
    Duration idlePause();

    /**
     * How long a change made by the API waits for its writer to report that its own eviction landed (checked every
     * {@link #idlePause()}); past it, the change's announced tags are evicted again. Bounds the staleness left by a
     * writer that died or lost Redis between announcing a write and evicting it; within it, an API write costs no
     * second eviction.
     */
    @WithDefault("500ms")
    Duration writerGrace();

    /** Pause before retrying after MongoDB or Redis failed (the change is kept and retried, never skipped). */
    @WithDefault("1s")
    Duration retry();

    /** Pause before asking again a MongoDB that has no change stream (a standalone server). */
    @WithDefault("1m")
    Duration unsupportedRetry();
}
