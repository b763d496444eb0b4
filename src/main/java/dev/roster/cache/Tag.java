package dev.roster.cache;

import java.util.Objects;

/**
 * A tag: a kind (a constant chosen by the developer) and an optional value (data). Kind and value are kept
 * apart, so that no value can make one tag look like another.
 */
public record Tag(String kind, String value) {

    public Tag {
        Objects.requireNonNull(kind, "kind");
    }

    public static Tag of(String kind, String value) {
        return new Tag(kind, Objects.requireNonNull(value, "value"));
    }

    public static Tag of(String kind) {
        return new Tag(kind, null);
    }

    @Override
    public String toString() {
        return value == null ? kind : kind + ":" + value;
    }
}
