package dev.roster.cache;

import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.function.Function;

/**
 * Programmatic eviction: a tag is evicted by deleting its generation. The returned {@code Uni}s never fail because
 * of Redis: when it cannot be reached the eviction is remembered and settled by deleting the global epoch as soon
 * as Redis answers again.
 */
public interface TagInvalidator {

    /** Evicts these tags now (deletes their generations). */
    Uni<Void> invalidate(Collection<Tag> tags);

    /**
     * Runs a write that is never abandoned halfway: once subscribed it runs to its end even if the subscriber
     * cancels (a client that disconnects), and then every tag declared in its {@link WriteScope} is evicted,
     * whether the write succeeded, failed (its outcome may be unknown: a lost reply) or its caller went away.
     * Only a failure that is {@link NothingWritten} skips the eviction. The returned {@code Uni} emits the
     * write's outcome after the eviction, so an answer is sent only once every affected view is invalid.
     */
    <T> Uni<T> write(Function<WriteScope, Uni<T>> write);
}
