package dev.roster.membership.service;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One row of {@code GET /teams}. */
@RegisterForReflection
public record TeamSize(String team, long count) {}
