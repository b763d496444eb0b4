package dev.roster.error;

import dev.roster.cache.NothingWritten;

/**
 * A failure with a client-facing meaning; mapped to problem+json by {@link RosterExceptionMapper}. Each one
 * is raised before anything is written, so the cache keeps its entries.
 */
public class RosterException extends RuntimeException implements NothingWritten {

    private final String kind;
    private final String title;
    private final int status;

    protected RosterException(String kind, String title, int status, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.title = title;
        this.status = status;
    }

    public static RosterException notFound(String detail) {
        return new RosterException("not-found", "Not Found", 404, detail);
    }

    public static RosterException conflict(String detail) {
        return new RosterException("conflict", "Conflict", 409, detail);
    }

    public static RosterException preconditionFailed(String detail) {
        return new RosterException("precondition-failed", "Precondition Failed", 412, detail);
    }

    public static RosterException badRequest(String detail) {
        return new RosterException("bad-request", "Bad Request", 400, detail);
    }

    public static RosterException unsupportedMediaType(String detail) {
        return new RosterException("unsupported-media-type", "Unsupported Media Type", 415, detail);
    }

    public static RosterException payloadTooLarge(String detail) {
        return new RosterException("payload-too-large", "Payload Too Large", 413, detail);
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
