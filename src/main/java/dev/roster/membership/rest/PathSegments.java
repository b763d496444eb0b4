package dev.roster.membership.rest;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of one path segment for {@code Location} and any other link the service writes: following
 * the link must reach the resource whose name went in. Kept as they are: RFC 3986's unreserved characters and
 * those of its {@code pchar} characters that mean nothing inside a segment. Encoded: everything else, UTF-8
 * byte by byte, including {@code ;} (it starts a matrix parameter, which the server strips from the segment),
 * {@code /}, {@code ?}, {@code #}, {@code %}, space and {@code +} (which some clients and proxies read as a
 * space).
 */
final class PathSegments {

    private static final String KEPT_PUNCTUATION = "-._~!$&'()*,=:@";

    private PathSegments() {}

    static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (kept(c)) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean kept(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || (c < 0x80 && KEPT_PUNCTUATION.indexOf(c) >= 0);
    }
}
