package dev.roster.faults;

import dev.roster.support.Fleet;
import dev.roster.support.NamedServers;
import dev.roster.support.TcpProxy;
import dev.roster.support.Unique;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The fleet every fault test runs against: two instances A and B of the packaged application (prod profile),
 * MongoDB behind a {@link TcpProxy}, one controllable Redis. Started once for the whole run (two JVMs start in
 * ~10 s on 2 cores; one fleet per class would cost more than the tests) and stopped when the run ends.
 *
 * <p>Before each test the fleet is brought back to normal: the proxy passes, Redis runs, is thawed and accepts
 * writes (unpaused, a primary, no failed save stopping writes), and each
 * instance answers a cold listing from MongoDB and then from the cache (a hit). An instance that cannot
 * (a fault a previous test injected left it broken, e.g. a circuit that never closes again) is restarted and
 * reported on stdout, so no test depends on another's leftovers or on the order of tests.
 *
 * <p>On servers the user named ({@link NamedServers}) the fleet's MongoDB proxy stands in front of the named
 * MongoDB (which needs a connection string a proxy can stand in for, or every fault test is skipped), and Redis
 * is the named one, which the fleet does not control: a test that freezes, kills or reconfigures Redis declares
 * it ({@link #controllingRedis}) and is skipped there.
 *
 * <p>Settings, for every instance: MongoDB read timeout 2 s (a lost reply becomes an error quickly), bulk
 * batches of 10, listings over 50 members streamed, and a 2 s wait for another instance's lease (so waiting on
 * a lease that nobody will fill shows up as a lease timeout).
 */
public final class FaultFleet implements BeforeAllCallback, BeforeEachCallback {

    private static final Duration SETTLE = Duration.ofSeconds(8);

    private final String redisControl;
    private Fleet fleet;

    public FaultFleet() {
        this(null);
    }

    private FaultFleet(String redisControl) {
        this.redisControl = redisControl;
    }

    /**
     * The fleet for a test class that controls the Redis server itself ({@code what}: how), skipped on a named
     * Redis.
     */
    public static FaultFleet controllingRedis(String what) {
        return new FaultFleet(what);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        NamedServers.skipUnless(
                context.getRequiredTestClass().getSimpleName(),
                NamedServers.mongo().isEmpty()
                        || NamedServers.proxyableMongoHost().isPresent(),
                "the fault fleet reaches MongoDB through a TCP proxy, which needs " + Fleet.MONGO_PROXY_NEEDS);
        fleet = context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(FaultFleet.class, k -> startFleet(), Running.class)
                .fleet();
    }

    /** Skips each test of a class {@link #controllingRedis} on a named Redis (each counted as skipped). */
    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (redisControl != null) {
            NamedServers.skipUnless(
                    context.getRequiredTestClass().getSimpleName(),
                    NamedServers.redis().isEmpty(),
                    "needs a Redis of its own: " + redisControl + "; -D" + NamedServers.REDIS_PROPERTY + " names one");
        }
        settle();
    }

    public Fleet fleet() {
        return fleet;
    }

    public Fleet.Instance a() {
        return fleet.instances().get(0);
    }

    public Fleet.Instance b() {
        return fleet.instances().get(1);
    }

    public TcpProxy proxy() {
        return fleet.mongoProxy();
    }

    /** MongoDB as the test itself reaches it, behind the instances' back. */
    public String directMongoUri() {
        return fleet.directMongoUri();
    }

    /** The fleet's own Redis; only in a class declared {@link #controllingRedis}. */
    public Fleet.RedisControl redis() {
        return fleet.redis();
    }

    /** The running fleet, closed by JUnit when the run ends. */
    private record Running(Fleet fleet) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            fleet.close();
        }
    }

    private static Running startFleet() {
        try {
            Fleet fleet = new Fleet(Fleet.Options.defaults()
                    .withMongoBehindProxy()
                    .withJvmArgs(
                            "-Dquarkus.mongodb.read-timeout=2s",
                            "-Droster.bulk.batch-size=10",
                            "-Droster.listing.whole-limit=50",
                            "-Droster.cache.lease-wait=2s"));
            fleet.start("fault-a");
            fleet.start("fault-b");
            return new Running(fleet);
        } catch (Exception e) {
            throw new IllegalStateException("the fault fleet did not start; see target/fleet-fault-*.log", e);
        }
    }

    private void settle() throws Exception {
        fleet.mongoProxy().pass();
        if (fleet.redisControllable()) {
            if (fleet.redis().frozen()) {
                fleet.redis().thaw();
            }
            if (!fleet.redis().running()) {
                fleet.redis().start();
            }
            fleet.redis().acceptWrites();
        }
        for (Fleet.Instance instance : fleet.instances()) {
            if (!instance.process().isAlive() || !servesFromCache(instance)) {
                System.out.println("[fault-fleet] " + instance.name() + " did not serve a hit within "
                        + SETTLE.toSeconds() + " s: restarting it");
                Fleet.Instance fresh = fleet.restart(instance);
                if (!servesFromCache(fresh)) {
                    throw new IllegalStateException(instance.name() + " does not serve from the cache after a restart");
                }
            }
        }
        for (Fleet.Instance instance : fleet.instances()) {
            awaitQuiet(instance);
        }
    }

    /**
     * Waits until an entry this instance stored is still a hit a second later: the change feeds have caught up
     * with what a previous test left (after Redis came back from an older snapshot they replay the changes since,
     * whose announcements are gone, evicting every entry for each), so no test starts under such evictions.
     */
    private static void awaitQuiet(Fleet.Instance instance) throws InterruptedException {
        HttpClient client = probeClient();
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            URI probe = instance.uri("/teams/" + Unique.name("quiet") + "/members");
            try {
                send(client, probe);
                Thread.sleep(1_000);
                if (send(client, probe)
                        .headers()
                        .firstValue("Cache-Status")
                        .orElse("")
                        .contains("hit")) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // overloaded or restarting; try again
            }
        }
        System.out.println("[fault-fleet] " + instance.name() + " kept evicting for " + SETTLE.toSeconds() + " s");
    }

    /** A cold listing answered 200 (MongoDB works), then a hit (Redis works and the circuit is closed). */
    private static boolean servesFromCache(Fleet.Instance instance) throws InterruptedException {
        HttpClient client = probeClient();
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            URI probe = instance.uri("/teams/" + Unique.name("settle") + "/members");
            try {
                List<HttpResponse<String>> answers = List.of(send(client, probe), send(client, probe));
                if (answers.get(0).statusCode() == 200
                        && answers.get(1).statusCode() == 200
                        && answers.get(1)
                                .headers()
                                .firstValue("Cache-Status")
                                .orElse("")
                                .contains("hit")) {
                    return true;
                }
            } catch (java.io.IOException notYet) {
                // the instance is restarting or overloaded; try again
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** A client for the settle probes: HTTP/1.1, a short connect timeout. */
    private static HttpClient probeClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    private static HttpResponse<String> send(HttpClient client, URI uri)
            throws java.io.IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
