package dev.roster.membership.service;

import java.util.Arrays;

/** {@code If-Match} per RFC 9110: strong comparison; {@code *} matches any existing representation. */
final class Preconditions {

    private Preconditions() {}

    /** Whether {@code ifMatch} (null when absent) allows changing a member whose current tag is {@code etag}. */
    static boolean ifMatch(String ifMatch, String etag) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return true;
        }
        return Arrays.stream(ifMatch.split(","))
                .map(String::trim)
                .anyMatch(tag -> tag.equals("*") || tag.equals("\"" + etag + "\""));
    }
}
