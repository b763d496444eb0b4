import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.util.concurrent.CountDownLatch;

/**
 * A MongoDB wire-protocol server for the benchmark: mongo-java-server with its in-memory backend, bound to
 * 127.0.0.1 on the given port. No real mongod can be installed on the bench machines, so every system under
 * test talks to this one process. Run as a single-file program:
 * {@code java -cp <mongo-java-server jars> bench/servers/MongoWire.java <port>}.
 */
public class MongoWire {

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: MongoWire <port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        MongoServer server = new MongoServer(new MemoryBackend());
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
