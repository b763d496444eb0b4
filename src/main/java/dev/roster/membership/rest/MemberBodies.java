package dev.roster.membership.rest;

import dev.roster.error.Problem;
import dev.roster.error.ValidationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Validates member bodies (POST, PUT, bulk lines) against the rules on {@link MemberInput}. */
@ApplicationScoped
public class MemberBodies {

    private final Validator validator;

    public MemberBodies(Validator validator) {
        this.validator = validator;
    }

    /** The broken rules of {@code input}, sorted by field; empty when it is valid. */
    public List<Problem.Violation> violations(MemberInput input) {
        if (input == null) {
            return List.of(new Problem.Violation("body", "a JSON object is required"));
        }
        Set<ConstraintViolation<MemberInput>> found = validator.validate(input);
        return found.stream()
                .map(v -> new Problem.Violation(v.getPropertyPath().toString(), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
    }

    public MemberInput valid(MemberInput input) {
        List<Problem.Violation> violations = violations(input);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return input;
    }
}
