package dev.roster.membership.service;

/** One line of a bulk import: a member to upsert, or the reason the line was rejected. */
public sealed interface BulkLine {

    int line();

    /** A line that parsed and passed validation. */
    record Upsert(int line, String name, String team, String email, String role) implements BulkLine {}

    /** A line that did not; reported back with its number. */
    record Rejected(int line, String error) implements BulkLine {}
}
