/**
 * The store seam and what crosses it: {@link dev.roster.cache.internal.entry.EntryStore} (lookups, stores, leases,
 * bumps), {@link dev.roster.cache.internal.entry.StampChanges} (changes pushed to the near cache), the entry format
 * ({@link dev.roster.cache.internal.entry.Entry}, {@link dev.roster.cache.internal.entry.Stamp}), gzip of stored
 * bodies, and {@link dev.roster.cache.internal.entry.ResultCodec}, the one place that knows whether a result is a
 * body or a value. Depends on {@code plan} only.
 */
package dev.roster.cache.internal.entry;
