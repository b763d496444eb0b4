package dev.roster.faults;

import static dev.roster.faults.RosterClient.cacheStatus;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redis that still answers reads but parks or refuses writes: paused for a failover
 * ({@code CLIENT PAUSE WRITE}), demoted to a replica ({@code REPLICAOF}), or stopped by a failed save
 * ({@code MISCONF}). Instance A's write is answered although its eviction cannot land; instance B must then not
 * serve the member it cached before the write.
 */
class RedisRefusesWritesIT {

    @RegisterExtension
    static final FaultFleet FLEET =
            FaultFleet.controllingRedis("CLIENT PAUSE, REPLICAOF and CONFIG SET act on the whole server");

    /** Longer than any request of the test: the pause is lifted by the test, not by time. */
    private static final Duration PAUSE = Duration.ofSeconds(30);

    /** GETs on B after the first one, while Redis still refuses writes. */
    private static final int READS = 20;

    private final RosterClient client = new RosterClient();

    @AfterEach
    void restoreRedis() {
        if (FLEET.fleet().redisControllable()) {
            FLEET.redis().acceptWrites();
        }
    }

    @Test
    void shouldNotServeTheOldMemberWhenRedisPausesWrites() {
        assertNoOldMemberOnB("pause", () -> FLEET.redis().pauseWrites(PAUSE));
    }

    @Test
    void shouldNotServeTheOldMemberWhenRedisIsDemotedToAReplica() {
        assertNoOldMemberOnB("replica", () -> FLEET.redis().demote());
    }

    @Test
    void shouldNotServeTheOldMemberWhenRedisRefusesWritesAfterAFailedSave() {
        assertNoOldMemberOnB("misconf", () -> FLEET.redis().failSaves());
    }

    private void assertNoOldMemberOnB(String prefix, Fault fault) {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        String name = Unique.name(prefix);
        String team = Unique.name(prefix + "-team");
        client.create(a, name, team, "old@example.com");
        client.warm(b, memberPath(name));

        try {
            fault.inject();
        } catch (Exception e) {
            throw new IllegalStateException("could not make Redis refuse writes", e);
        }
        HttpResponse<String> put = client.put(a, name, team, "new@example.com");
        assertEquals(200, put.statusCode(), () -> "PUT on A: " + put.body());

        assertNewMember(b, name);
        // While Redis still refuses: every answer is the write, computed from MongoDB, never an error. The
        // latencies are printed, not asserted (the lookup's timeout, then the open circuit: see docs/caching.md).
        List<Long> millis = new ArrayList<>();
        Set<String> statuses = new TreeSet<>();
        for (int i = 0; i < READS; i++) {
            long start = System.nanoTime();
            statuses.add(assertNewMember(b, name));
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        System.out.printf(
                "[redis refuses writes: %s] %d GETs on B in ms: %s; Cache-Status: %s%n",
                prefix, READS, millis, statuses);
    }

    /** B's answer for the member: the PUT's email, computed from MongoDB (a miss); returns its Cache-Status. */
    private String assertNewMember(Fleet.Instance b, String name) {
        HttpResponse<String> read = client.get(b, memberPath(name));
        assertEquals(200, read.statusCode(), () -> "GET on B: " + read.body());
        assertEquals(
                "new@example.com",
                RosterClient.json(read).get("email").asText(),
                () -> "B served the member from before the answered PUT (" + cacheStatus(read) + ")");
        assertTrue(cacheStatus(read).contains("fwd="), () -> "not computed: " + cacheStatus(read));
        return cacheStatus(read);
    }

    @FunctionalInterface
    private interface Fault {
        void inject() throws Exception;
    }
}
