package dev.roster.membership.service;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The answer of {@code POST /members/bulk}. */
@RegisterForReflection(targets = BulkReport.LineError.class)
public record BulkReport(long inserted, long updated, long failed, List<LineError> errors) {

    /** A failed line. */
    public record LineError(int line, String error) {}
}
