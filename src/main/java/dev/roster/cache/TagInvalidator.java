package dev.roster.cache;

import io.smallrye.mutiny.Uni;
import java.util.Collection;

/**
 * Programmatic eviction, for writes whose tags are only known while they run (a bulk import, batch by batch).
 * The returned {@code Uni} never fails: when Redis cannot be reached the bump is remembered and settled by a
 * global epoch bump before this instance reads from Redis again.
 */
public interface TagInvalidator {

    Uni<Void> invalidate(Collection<Tag> tags);
}
