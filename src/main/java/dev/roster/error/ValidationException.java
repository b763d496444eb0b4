package dev.roster.error;

import java.util.List;

/** Input that broke one or more rules of the contract; answered 400 with {@code violations}. */
public final class ValidationException extends RosterException {

    private final transient List<Problem.Violation> violations;

    public ValidationException(List<Problem.Violation> violations) {
        super("validation", "Validation Failed", 400, "the request breaks " + violations.size() + " rule(s)");
        this.violations = List.copyOf(violations);
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
