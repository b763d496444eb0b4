package dev.roster.cache.internal.flight;

/** The outcome of one computation; a streamed body can be consumed once, so it is not shared. */
public record Flight(Object result, boolean shareable) {}
