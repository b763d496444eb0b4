package dev.roster.membership.rest;

import java.util.Locale;

/** Reads Accept-Encoding (RFC 9110, section 12.5.3) for the one coding the API can send: gzip. */
final class ContentCodings {

    private ContentCodings() {}

    /**
     * Whether gzip is acceptable: named ({@code gzip} or {@code x-gzip}) with a q-value above 0, or not named
     * and allowed by {@code *} with a q-value above 0. No header means no preference; identity is then sent,
     * the safe reading for clients that never asked.
     */
    static boolean allowsGzip(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isBlank()) {
            return false;
        }
        Double named = null;
        Double wildcard = null;
        for (String element : acceptEncoding.split(",")) {
            String[] parts = element.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = named == null ? q : Math.max(named, q);
            } else if (coding.equals("*")) {
                wildcard = q;
            }
        }
        if (named != null) {
            return named > 0;
        }
        return wildcard != null && wildcard > 0;
    }

    /** The q parameter of one element (1 when absent; 0 when malformed, so that nonsense refuses). */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).trim().equalsIgnoreCase("q")) {
                try {
                    double q = Double.parseDouble(parameter.substring(eq + 1).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
