package dev.roster.membership.rest;

import dev.roster.error.Problem;
import dev.roster.error.ValidationException;
import dev.roster.membership.service.MemberFields;
import java.util.List;

/** Validation of path segments and query parameters, with the same rules as bodies. */
final class PathRules {

    static final int PAGE_MIN = 1;
    static final int PAGE_MAX = 1000;

    private PathRules() {}

    static void team(String team) {
        check("team", team, MemberFields.TEAM_MAX, false);
    }

    static void name(String name) {
        check("name", name, MemberFields.NAME_MAX, true);
    }

    /** The page size, or null for the whole (rest of the) team. */
    static Integer limit(String limit) {
        if (limit == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= PAGE_MIN && value <= PAGE_MAX) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ValidationException(List.of(
                new Problem.Violation("limit", "must be a whole number between " + PAGE_MIN + " and " + PAGE_MAX)));
    }

    static void after(String after) {
        if (after != null) {
            check("after", after, MemberFields.NAME_MAX, false);
        }
    }

    private static void check(String field, String value, int max, boolean pathSegment) {
        String problem = MemberFields.problemWith(value, max, pathSegment);
        if (problem != null) {
            throw new ValidationException(List.of(new Problem.Violation(field, problem)));
        }
    }
}
