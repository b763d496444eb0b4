package dev.roster.membership;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One row of {@code GET /teams}. */
@RegisterForReflection
public record TeamSize(String team, long count) {}
