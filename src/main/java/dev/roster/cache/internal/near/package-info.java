/**
 * The optional in-process near cache, kept coherent by the changes the store pushes ({@link
 * dev.roster.cache.internal.entry.StampChanges}); it knows no Redis.
 */
package dev.roster.cache.internal.near;
