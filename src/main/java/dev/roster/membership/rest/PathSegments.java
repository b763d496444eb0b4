package dev.roster.membership.rest;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of one path segment (RFC 3986 {@code pchar}), for Location headers. */
final class PathSegments {

    private static final String UNRESERVED = "-._~!$&'()*+,;=:@";

    private PathSegments() {}

    static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || (c < 0x80 && UNRESERVED.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
