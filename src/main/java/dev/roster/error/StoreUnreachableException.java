package dev.roster.error;

import dev.roster.cache.NothingWritten;

/**
 * No MongoDB server could be selected within the timeout, so the operation was never sent: nothing was
 * written. Answered 503 like any other unavailability.
 */
public final class StoreUnreachableException extends RuntimeException implements NothingWritten {

    public StoreUnreachableException(Throwable cause) {
        super("the member store is unreachable", cause, false, false);
    }
}
