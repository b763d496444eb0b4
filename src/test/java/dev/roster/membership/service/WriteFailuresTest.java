package dev.roster.membership.service;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoSocketWriteException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import dev.roster.cache.NothingWritten;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The driver's exceptions as the eviction rule reads them: only a failure before the command was sent is
 * {@link NothingWritten}; every failure after it (timeouts included) may have written. The exceptions are
 * built the way driver 5.x builds them (see {@link WriteFailures}); over HTTP the rule is checked by
 * {@code OperationTimeoutIT}, {@code LostReplyIT} and {@code MongoOutageIT}.
 */
class WriteFailuresTest {

    private static final ServerAddress SERVER = new ServerAddress("127.0.0.1", 27017);

    @Test
    void shouldSkipTheEvictionWhenTheCommandWasNeverSent() {
        assertAll(
                () -> assertNothingWritten(new MongoTimeoutException("server selection timed out")),
                () -> assertNothingWritten(new MongoTimeoutException("timed out waiting for a pooled connection")),
                () -> assertNothingWritten(
                        new MongoSocketOpenException("Exception opening socket", SERVER, new IOException("refused"))));
    }

    @Test
    void shouldEvictWhenTheFailureCameAfterTheCommandWasSent() {
        SocketTimeoutException readTimeout = new SocketTimeoutException("Read timed out");
        assertAll(
                () -> assertMayHaveWritten(new MongoOperationTimeoutException(
                        "Operation exceeded the timeout limit",
                        new MongoSocketReadTimeoutException("Timeout while receiving message", SERVER, readTimeout))),
                () -> assertMayHaveWritten(
                        new MongoOperationTimeoutException("The operation exceeded the timeout limit.")),
                () -> assertMayHaveWritten(
                        new MongoSocketReadTimeoutException("Timeout while receiving message", SERVER, readTimeout)),
                () -> assertMayHaveWritten(new MongoSocketReadException("Prematurely reached end of stream", SERVER)),
                () -> assertMayHaveWritten(
                        new MongoSocketWriteException("Exception sending message", SERVER, new IOException("reset"))));
    }

    private static void assertNothingWritten(Throwable driverFailure) {
        assertTrue(WriteFailures.neverSent(driverFailure), driverFailure.toString());
        Throwable answered = failureOf(driverFailure);
        assertInstanceOf(NothingWritten.class, answered, driverFailure.toString());
        assertSame(driverFailure, answered.getCause());
    }

    private static void assertMayHaveWritten(Throwable driverFailure) {
        assertFalse(WriteFailures.neverSent(driverFailure), driverFailure.toString());
        assertSame(driverFailure, failureOf(driverFailure), "passed on unchanged, so that the write evicts");
    }

    private static Throwable failureOf(Throwable driverFailure) {
        return WriteFailures.markNeverSent(Uni.createFrom().failure(driverFailure))
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .assertFailed()
                .getFailure();
    }
}
