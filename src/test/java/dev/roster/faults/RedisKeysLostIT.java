package dev.roster.faults;

import static dev.roster.faults.RosterClient.listingPath;
import static dev.roster.faults.RosterClient.memberPath;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.support.Fleet;
import dev.roster.support.RedisNodes;
import dev.roster.support.Resp;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis loses keys at random (eviction under memory pressure, a failover, an operator's DEL): entries, leases,
 * tag generations and the epoch alike. Losing a key may cost a miss, never a stale answer: a writer whose PUT
 * was answered reads its own write through the other instance, every time.
 */
class RedisKeysLostIT {

    @RegisterExtension
    static final FaultFleet FLEET = new FaultFleet();

    private static final Duration RUN = Duration.ofSeconds(10);
    private static final int WRITERS = 4;

    @Test
    void shouldNeverServeAWriterItsOwnStaleDataWhenRedisKeysVanishUnderLoad() throws Exception {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        RosterClient setup = new RosterClient();
        String team = Unique.name("lost-keys");
        List<String> names = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String name = team + "-w" + w;
            names.add(name);
            setup.create(a, name, team, "w" + w + "-0@example.com");
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong requests = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong deletedKeys = new AtomicLong();
        AtomicLong deletedStampKeys = new AtomicLong();
        ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String name = names.get(w);
            String prefix = "w" + w + "-";
            running.add(threads.submit(() -> {
                RosterClient client = new RosterClient();
                int counter = 0;
                while (!stop.get()) {
                    counter++;
                    boolean viaA = ThreadLocalRandom.current().nextBoolean();
                    Fleet.Instance writer = viaA ? a : b;
                    Fleet.Instance reader = viaA ? b : a;
                    String email = prefix + counter + "@example.com";
                    HttpResponse<String> put = client.put(writer, name, team, email);
                    requests.incrementAndGet();
                    if (put.statusCode() != 200) {
                        failed.incrementAndGet();
                        continue;
                    }
                    writes.incrementAndGet();
                    HttpResponse<String> member = client.get(reader, memberPath(name));
                    HttpResponse<String> listing = client.get(reader, listingPath(team));
                    requests.addAndGet(2);
                    if (member.statusCode() != 200 || listing.statusCode() != 200) {
                        failed.incrementAndGet();
                        continue;
                    }
                    String seen = RosterClient.json(member).path("email").asText();
                    if (!email.equals(seen)) {
                        stale.add(reader.name() + " member " + name + ": wrote " + email + ", read " + seen + " ("
                                + RosterClient.cacheStatus(member) + ")");
                    }
                    String listed = emailIn(RosterClient.json(listing), name);
                    if (!email.equals(listed)) {
                        stale.add(reader.name() + " listing of " + name + ": wrote " + email + ", read " + listed + " ("
                                + RosterClient.cacheStatus(listing) + ")");
                    }
                }
                return null;
            }));
        }
        running.add(threads.submit(() -> {
            deleteKeysAtRandom(stop, deletedKeys, deletedStampKeys);
            return null;
        }));

        Thread.sleep(RUN.toMillis());
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        threads.shutdown();

        System.out.printf(
                "[redis keys lost] %d requests, %d answered writes, %d failed, %d stale reads; %d keys deleted"
                        + " (%d generation/epoch keys targeted)%n",
                requests.get(), writes.get(), failed.get(), stale.size(), deletedKeys.get(), deletedStampKeys.get());
        stale.stream().limit(10).forEach(s -> System.out.println("[redis keys lost] stale: " + s));
        assertAll(
                () -> assertEquals(
                        0,
                        stale.size(),
                        "stale reads of a writer's own answered write (of " + writes.get() + "), e.g. "
                                + stale.stream().limit(3).toList()),
                () -> assertEquals(0, failed.get(), "requests that did not answer 200"));
    }

    private static String emailIn(JsonNode listing, String name) {
        for (JsonNode m : listing.get("members")) {
            if (m.get("name").asText().equals(name)) {
                return m.path("email").asText();
            }
        }
        return "(absent)";
    }

    /**
     * Until {@code stop}: walks the fleet's keys with SCAN on every Redis primary and deletes a third of them, and
     * now and then the epoch (on a cluster, only its own primary takes it; the others answer MOVED).
     */
    @SuppressWarnings("unchecked")
    private static void deleteKeysAtRandom(AtomicBoolean stop, AtomicLong deletedKeys, AtomicLong deletedStampKeys)
            throws Exception {
        String prefix = FLEET.fleet().keyPrefix();
        String epoch = prefix + ":{epoch}";
        List<Resp> nodes = new ArrayList<>();
        for (RedisNodes.Node node : FLEET.fleet().redisNodes().primaries()) {
            nodes.add(node.open(5_000));
        }
        try {
            String[] cursors = new String[nodes.size()];
            Arrays.fill(cursors, "0");
            while (!stop.get()) {
                for (int n = 0; n < nodes.size(); n++) {
                    Resp redis = nodes.get(n);
                    List<Object> reply =
                            (List<Object>) redis.call("SCAN", cursors[n], "MATCH", prefix + ":*", "COUNT", "200");
                    cursors[n] = (String) reply.get(0);
                    List<String> victims = new ArrayList<>();
                    for (Object key : (List<Object>) reply.get(1)) {
                        if (ThreadLocalRandom.current().nextInt(3) == 0) {
                            victims.add((String) key);
                        }
                    }
                    if (ThreadLocalRandom.current().nextInt(10 * nodes.size()) == 0) {
                        victims.add(epoch);
                    }
                    for (String victim : victims) {
                        try {
                            deletedKeys.addAndGet((Long) redis.call("DEL", victim));
                        } catch (Resp.Error moved) {
                            continue;
                        }
                        if (victim.startsWith(prefix + ":g:") || victim.equals(epoch)) {
                            deletedStampKeys.incrementAndGet();
                        }
                    }
                }
                Thread.sleep(3);
            }
        } finally {
            for (Resp redis : nodes) {
                redis.close();
            }
        }
    }
}
