package dev.roster.cache.internal.redis;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The cache's Lua scripts, each on one key. They are loaded once per connection ({@code SCRIPT LOAD}) and
 * called by digest ({@code EVALSHA}), so no request carries script text; a Redis that forgot them (restart,
 * {@code SCRIPT FLUSH}) answers {@code NOSCRIPT}, and the store loads them again and retries once. On a Redis
 * Cluster, where a load reaches one node only, they are sent as text ({@code EVAL}).
 */
enum Script {
    /** Lengthens a generation's life to at least ARGV[1] ms (never shortens it, never creates it). */
    EXTEND("local t = redis.call('PTTL', KEYS[1]) "
            + "if t >= 0 and t < tonumber(ARGV[1]) then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return 0"),

    /** Deletes a key only if it still holds ARGV[1] (an entry's head, a lease's owner token). */
    DELETE_IF_SAME("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0");

    final String text;
    final String sha;

    Script(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** A call of this script on {@code key} with {@code args}: by digest, or as text on a cluster. */
    Request call(boolean cluster, String key, Object... args) {
        Request r = cluster
                ? Request.cmd(Command.EVAL).arg(text)
                : Request.cmd(Command.EVALSHA).arg(sha);
        r.arg(1).arg(key);
        for (Object a : args) {
            if (a instanceof byte[] bytes) {
                r.arg(bytes);
            } else {
                r.arg(String.valueOf(a));
            }
        }
        return r;
    }

    Request load() {
        return Request.cmd(Command.SCRIPT).arg("LOAD").arg(text);
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JRE", e);
        }
    }
}
