import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.concurrent.CountDownLatch;

/**
 * A MongoDB wire-protocol server for the benchmark: mongo-java-server with its in-memory backend, bound to
 * 127.0.0.1 on the given port. No real mongod can be installed on the bench machines, so every system under
 * test talks to this one process. Run as a single-file program:
 * {@code java -cp <mongo-java-server jars> bench/servers/MongoWire.java <port> [--oplog]}. With {@code --oplog}
 * the backend keeps an oplog, so that change streams work (Roster's change feed follows them); without it the
 * feed reports the server as unsupported, as the throughput benchmarks have always run.
 */
public class MongoWire {

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--oplog"))) {
            System.err.println("usage: MongoWire <port> [--oplog]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        MemoryBackend backend = new MemoryBackend();
        if (args.length == 2) {
            backend.enableOplog();
        }
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        System.out.println("mongo-wire listening on 127.0.0.1:" + port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            stopped.countDown();
        }));
        stopped.await();
    }
}
