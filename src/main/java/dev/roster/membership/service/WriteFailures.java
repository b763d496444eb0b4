package dev.roster.membership.service;

import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;
import dev.roster.error.StoreUnreachableException;
import io.smallrye.mutiny.Uni;

/**
 * Which failures of a MongoDB write prove that the command was never sent, so that nothing was written and the
 * cached views may stay (stale-if-error keeps answering from them). Everything else evicts as if the write
 * landed: a broken socket, and a timeout of any kind after the command was sent.
 *
 * <p>Never sent, in the driver (5.x): a {@link MongoTimeoutException} itself is thrown only by server selection
 * and by the connection pool's checkout, before a command is written; a {@link MongoSocketOpenException} is a
 * connection that could not be opened. Its subclass {@link MongoOperationTimeoutException} is the client-side
 * operation timeout ({@code timeoutMS}): it also fires while waiting for the reply to a command already sent (and
 * the driver throws it for selection and checkout too once {@code timeoutMS} is set, so it proves nothing).
 * A retryable write that fails to get a server or connection for its retry reports the first attempt's error.
 */
final class WriteFailures {

    private WriteFailures() {}

    /** True only when the failure proves the command never left this process. */
    static boolean neverSent(Throwable failure) {
        return failure instanceof MongoSocketOpenException
                || (failure instanceof MongoTimeoutException && !(failure instanceof MongoOperationTimeoutException));
    }

    /** The write, with a never-sent failure turned into {@link StoreUnreachableException} (nothing written). */
    static <T> Uni<T> markNeverSent(Uni<T> write) {
        return write.onFailure(WriteFailures::neverSent).transform(StoreUnreachableException::new);
    }
}
