package dev.roster.membership.repository;

/** An insert hit the unique index on {@code name}. */
public final class DuplicateNameException extends RuntimeException {
    public DuplicateNameException() {
        super("name already taken", null, false, false);
    }
}
