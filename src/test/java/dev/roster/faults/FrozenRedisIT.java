package dev.roster.faults;

import static dev.roster.faults.RosterClient.cacheStatus;
import static dev.roster.faults.RosterClient.listingPath;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.support.Fleet;
import dev.roster.support.Unique;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis hangs (SIGSTOP) for 5 s under steady load on a cached listing: every request still succeeds, from
 * MongoDB, and the cache is used again once Redis answers. Latency is printed, not asserted (timings are
 * benchmarks).
 */
class FrozenRedisIT {

    @RegisterExtension
    static final FaultFleet FLEET = FaultFleet.controllingRedis("it freezes the Redis process with SIGSTOP");

    private static final int CLIENTS = 16;

    @Test
    void shouldAnswerEveryRequestAndHitAgainWhenRedisFreezesUnderLoad() throws Exception {
        Fleet.Instance a = FLEET.a();
        Fleet.Instance b = FLEET.b();
        RosterClient setup = new RosterClient();
        String team = Unique.name("frozen");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append(RosterClient.memberJson(team + "-" + i, team, null)).append('\n');
        }
        setup.bulk(a, lines.toString());
        setup.warm(a, listingPath(team));
        setup.warm(b, listingPath(team));

        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Fleet.Instance target = c % 2 == 0 ? a : b;
            running.add(threads.submit(() -> {
                RosterClient client = new RosterClient();
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = client.get(target, listingPath(team));
                        if (r.statusCode() != 200) {
                            failures.add(target.name() + " " + r.statusCode() + " " + r.body());
                        }
                    } catch (RuntimeException e) {
                        failures.add(target.name() + " " + e);
                    }
                    latencies.add(System.nanoTime() - start);
                }
                return null;
            }));
        }
        Thread.sleep(1000);
        FLEET.redis().freeze();
        try {
            Thread.sleep(5000);
        } finally {
            FLEET.redis().thaw();
        }
        Thread.sleep(1500);
        stop.set(true);
        for (Future<?> f : running) {
            f.get();
        }
        threads.shutdown();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(
                "[frozen redis] %d requests by %d clients, %d failed; p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                sorted.size(),
                CLIENTS,
                failures.size(),
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                percentile(sorted, 1.0));

        List<String> noHit = new ArrayList<>();
        for (Fleet.Instance i : List.of(a, b)) {
            if (!hitsWithin(setup, i, listingPath(team), Duration.ofSeconds(10))) {
                noHit.add(i.name());
            }
        }
        assertAll(
                () -> assertEquals(
                        0, failures.size(), "failed requests while Redis was frozen, e.g. " + failures.peek()),
                () -> assertTrue(noHit.isEmpty(), "no cache hit within 10 s after the thaw on " + noHit));
    }

    private static boolean hitsWithin(RosterClient client, Fleet.Instance instance, String path, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            client.get(instance, path);
            if (cacheStatus(client.get(instance, path)).contains("hit")) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1_000_000.0;
    }
}
