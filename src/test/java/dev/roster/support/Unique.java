package dev.roster.support;

import java.util.UUID;

/** Unique names per test, so that tests share no data and need no order. */
public final class Unique {

    private Unique() {}

    public static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
