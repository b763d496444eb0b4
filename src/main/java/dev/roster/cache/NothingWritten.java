package dev.roster.cache;

/**
 * Marks a failure that proves a write changed nothing (a rejected request, a database that could not even
 * be reached). {@link InvalidatesTags} skips its eviction for such failures, so that cached copies stay
 * available (stale-if-error keeps answering); every other failure evicts, since the write may have landed.
 */
public interface NothingWritten {}
