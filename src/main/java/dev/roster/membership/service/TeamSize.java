package dev.roster.membership.service;

/** One row of {@code GET /teams}. */
public record TeamSize(String team, long count) {}
