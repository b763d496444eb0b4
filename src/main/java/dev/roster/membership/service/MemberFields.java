package dev.roster.membership.service;

/** The contract's rules for names, teams and roles, shared by validation of bodies and of path segments. */
public final class MemberFields {

    public static final int NAME_MAX = 100;
    public static final int TEAM_MAX = 64;
    public static final int ROLE_MAX = 64;

    private MemberFields() {}

    /**
     * Why {@code value} breaks the rules, or {@code null} when it does not. Lengths count code points; control
     * characters are Unicode category Cc (C0, DEL, C1).
     */
    public static String problemWith(String value, int max, boolean pathSegment) {
        int length = value.codePointCount(0, value.length());
        if (length < 1 || length > max) {
            return "must be 1 to " + max + " characters long";
        }
        if (value.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)) {
            return "must not contain control characters";
        }
        if (pathSegment && (value.equals(".") || value.equals(".."))) {
            return "must not be '.' or '..'";
        }
        return null;
    }
}
