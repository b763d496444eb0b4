package dev.roster.cache.internal.flight;

import dev.roster.cache.CachedBody;

/** The outcome of one computation; a streamed body can be consumed once, so it is not shared. */
public record Flight(Object result, boolean shareable) {

    /**
     * Nobody will receive this result: its only reader left before it was ready. A streamed body is read to its
     * end anyway, so that its tee stores the entry and then releases the fleet lease (the work is paid for, and
     * a client that gave up and retries, or another instance waiting on the lease, gets the entry instead of a
     * lease that only expires). The stream is pulled as fast as Redis takes its chunks, as it would be for a
     * client. A whole result holds nothing.
     */
    public void abandon() {
        if (result instanceof CachedBody body && body.whole() == null) {
            body.chunks().subscribe().with(ignored -> {}, ignored -> {}, () -> {});
        }
    }
}
