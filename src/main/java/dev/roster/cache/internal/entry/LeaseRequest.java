package dev.roster.cache.internal.entry;

/** What a lookup does with the key's lease in the same round trip. */
public record LeaseRequest(Kind kind, String token) {

    /** Nothing, take it (with an owner token), or check whether someone holds it. */
    public enum Kind {
        NONE,
        TAKE,
        CHECK
    }

    public static final LeaseRequest NONE = new LeaseRequest(Kind.NONE, null);
    private static final LeaseRequest CHECK = new LeaseRequest(Kind.CHECK, null);

    public static LeaseRequest take(String token) {
        return new LeaseRequest(Kind.TAKE, token);
    }

    public static LeaseRequest check() {
        return CHECK;
    }
}
