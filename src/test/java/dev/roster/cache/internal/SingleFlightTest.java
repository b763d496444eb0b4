package dev.roster.cache.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.roster.cache.internal.plan.MethodPlans;
import dev.roster.cache.internal.redis.RedisKeys;
import dev.roster.support.Unique;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A cold key under concurrency is computed once; a dead lease holder blocks nobody beyond its lease. */
@QuarkusTest
class SingleFlightTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    CacheProbe probe;

    @Inject
    MethodPlans plans;

    @Inject
    RedisKeys keys;

    @Inject
    Redis redis;

    @Inject
    MeterRegistry registry;

    private String entryId(String method, Object... args) {
        for (var m : CacheProbe.class.getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                return plans.result(m).plan().entryId(args);
            }
        }
        throw new IllegalArgumentException(method);
    }

    private double counter(String name) {
        var c = registry.find(name).tag("cache", "probe").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldComputeOnceWhenManyCallersMissTogether() throws Exception {
        String id = Unique.name("flight");
        probe.put(id, "v");
        int before = probe.loadsOf("read");
        assertEquals(java.util.Collections.nCopies(50, "v"), probe.readTogether(id, 50, WAIT));
        assertEquals(before + 1, probe.loadsOf("read"));
    }

    @Test
    void shouldShareTheFailureWhenTheSharedComputationFails() throws Exception {
        String id = Unique.name("flightfail");
        probe.failing(id, true);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        probe.gate(gate);
        int before = probe.loadsOf("read");
        var first = probe.read(id).subscribe().withSubscriber(UniAssertSubscriber.create());
        var second = probe.read(id).subscribe().withSubscriber(UniAssertSubscriber.create());
        Awaitility.await().atMost(WAIT).until(() -> probe.loadsOf("read") == before + 1);
        probe.gate(CompletableFuture.completedFuture(null));
        gate.complete(null);
        first.awaitFailure(WAIT);
        second.awaitFailure(WAIT);
        assertEquals(before + 1, probe.loadsOf("read"));
        probe.failing(id, false);
    }

    @Test
    void shouldComputeWithinTheLeaseWhenItsHolderDied() {
        String id = Unique.name("orphan");
        probe.put(id, "mine");
        String lease = keys.lease(entryId("read", id));
        redis.send(Request.cmd(Command.SET)
                        .arg(lease)
                        .arg("dead-holder")
                        .arg("PX")
                        .arg(1500))
                .await()
                .atMost(WAIT);
        double waits = counter("roster.cache.lease.waits");
        int before = probe.loadsOf("read");
        String value = probe.read(id)
                .subscribe()
                .withSubscriber(UniAssertSubscriber.create())
                .awaitItem(Duration.ofMillis(1500).plus(Duration.ofSeconds(2)))
                .getItem();
        assertEquals("mine", value);
        assertEquals(before + 1, probe.loadsOf("read"));
        assertEquals(waits + 1, counter("roster.cache.lease.waits"));
    }
}
