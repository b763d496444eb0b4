package dev.roster.membership.service;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer of {@code POST /members/bulk}, written by a route outside JAX-RS; registered for reflection with its
 * nested {@link LineError} (see {@link dev.roster.error.Problem} for why without {@code targets}).
 */
@RegisterForReflection
public record BulkReport(long inserted, long updated, long failed, List<LineError> errors) {

    /** A failed line. */
    public record LineError(int line, String error) {}
}
