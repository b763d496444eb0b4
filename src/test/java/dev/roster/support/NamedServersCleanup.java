package dev.roster.support;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Says which servers a run uses when it starts, and when it ends removes from the named servers what the run
 * created there and nothing else: the databases {@link NamedServers} handed out, the keys under this run's
 * prefixes. Registered with the JUnit Platform (one session per test JVM: the unit tests' and the ITs'), so it
 * runs in the JVM's own class loader after every Quarkus application of the run has stopped. A JVM told to exit
 * early (Maven interrupted, a fork stopped) cleans up from a shutdown hook instead; one killed outright leaves its
 * data behind, under names that carry {@code roster_test_} / {@code roster-test-} and the run's id.
 */
public class NamedServersCleanup implements LauncherSessionListener {

    private final AtomicBoolean done = new AtomicBoolean();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (NamedServers.mongo().isPresent() || NamedServers.redis().isPresent()) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp, "named-servers-cleanup"));
        }
        NamedServers.mongo()
                .ifPresent(uri -> System.out.printf(
                        "[named-servers] MongoDB %s, databases roster_test_%s*%n",
                        NamedServers.redacted(uri), NamedServers.run()));
        NamedServers.redis()
                .ifPresent(hosts -> System.out.printf(
                        "[named-servers] Redis %s (%s), keys %s%n",
                        NamedServers.redacted(hosts), NamedServers.redisClientType(), NamedServers.runKeyPattern()));
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        cleanUp();
    }

    private void cleanUp() {
        if (done.getAndSet(true)) {
            return;
        }
        NamedServers.mongo().ifPresent(NamedServersCleanup::dropDatabases);
        if (NamedServers.redis().isPresent()) {
            long deleted = NamedServers.redisNodes().deleteKeys(NamedServers.runKeyPattern());
            System.out.printf("[named-servers] deleted %d keys matching %s%n", deleted, NamedServers.runKeyPattern());
        }
    }

    private static void dropDatabases(String uri) {
        List<String> names = List.copyOf(NamedServers.databases());
        if (names.isEmpty()) {
            return;
        }
        try (MongoClient client = MongoClients.create(uri)) {
            for (String name : names) {
                client.getDatabase(name).drop();
            }
        }
        System.out.println("[named-servers] dropped databases " + names);
    }
}
