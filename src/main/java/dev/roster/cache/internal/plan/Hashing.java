package dev.roster.cache.internal.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** Short, URL-safe SHA-256 digests used in Redis keys (128 bits: collisions are not a practical concern). */
public final class Hashing {

    private static final int KEY_BYTES = 16;

    private Hashing() {}

    public static String digest(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                md.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
                md.update((byte) ':');
                md.update(part);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(md.digest(), KEY_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public static String digest(String... parts) {
        byte[][] bytes = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = parts[i] == null ? new byte[0] : ("S" + parts[i]).getBytes(StandardCharsets.UTF_8);
        }
        return digest(bytes);
    }
}
