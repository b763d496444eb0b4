package dev.roster.cache.internal.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Api;
import dev.roster.support.NamedServers;
import dev.roster.support.RedisNodes;
import dev.roster.support.Unique;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a small hit costs Redis, counted by Redis itself ({@code INFO commandstats}). */
@QuarkusTest
class HitCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String[] COUNTED = {"getex", "mget", "get", "del", "evalsha", "eval"};

    private long calls(String command) {
        return CommandStats.calls(command);
    }

    /**
     * A small hit on a single Redis server is two commands in one round trip: GETEX of the entry (the write probe)
     * and MGET of the epoch and generations; nothing else. A window may catch a command of the change feed (a late
     * event of an earlier test), so the count is taken over up to three windows and one must be exact.
     */
    @Test
    void shouldServeASmallHitWithGetexAndMget() {
        NamedServers.skipUnless(
                !RedisNodes.fromConfig().cluster(),
                "on a Redis Cluster a lookup is a pipeline of per-slot commands: its keys live on several nodes");
        String name = Unique.name("hit-commands");
        Api.create(name, "T").then().statusCode(201);
        Api.memberView(name);
        assertTrue(Api.memberView(name).header("Cache-Status").contains("hit"));
        int hits = 20;
        StringBuilder seen = new StringBuilder();
        for (int window = 0; window < 3; window++) {
            long[] before = new long[COUNTED.length];
            for (int i = 0; i < COUNTED.length; i++) {
                before[i] = calls(COUNTED[i]);
            }
            for (int i = 0; i < hits; i++) {
                assertTrue(Api.memberView(name).header("Cache-Status").contains("hit"));
            }
            boolean exact = true;
            seen.append(" |");
            for (int i = 0; i < COUNTED.length; i++) {
                long delta = calls(COUNTED[i]) - before[i];
                seen.append(' ').append(COUNTED[i]).append('+').append(delta);
                long expected = COUNTED[i].equals("getex") || COUNTED[i].equals("mget") ? hits : 0;
                exact &= delta == expected;
            }
            if (exact) {
                return;
            }
        }
        throw new AssertionError("expected per hit one GETEX and one MGET and nothing else; windows:" + seen);
    }
}
