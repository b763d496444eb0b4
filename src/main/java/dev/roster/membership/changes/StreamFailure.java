package dev.roster.membership.changes;

import com.mongodb.MongoException;
import java.util.Set;

/** What a failed change-stream command means, by MongoDB's error code. */
enum StreamFailure {
    /** The server does not know an option (fullDocumentBeforeChange before MongoDB 6.0). */
    UNKNOWN_OPTION(Set.of(40415, 9, 2)),
    /** The server has no change stream: not a replica set or sharded cluster. */
    UNSUPPORTED(Set.of(40573, 40324)),
    /** The position can no longer be resumed from (history rolled off the oplog, bad token). */
    HISTORY_LOST(Set.of(286, 280, 260)),
    /** Anything else: retried. */
    OTHER(Set.of());

    private final Set<Integer> codes;

    StreamFailure(Set<Integer> codes) {
        this.codes = codes;
    }

    static StreamFailure of(int code) {
        for (StreamFailure f : values()) {
            if (f.codes.contains(code)) {
                return f;
            }
        }
        return OTHER;
    }

    /** A failure for a log line: MongoDB's error code, or the exception's class. */
    static String describe(Exception e) {
        return e instanceof MongoException m
                ? "MongoDB error " + m.getCode()
                : e.getClass().getSimpleName();
    }
}
