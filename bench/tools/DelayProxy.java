import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy that adds a fixed one-way delay to each direction, e.g. between an application and Redis, to see
 * how a request's time scales with the number of round trips it makes.
 *
 * <pre>java bench/tools/DelayProxy.java --listen 18601 --target 127.0.0.1:18600 [--delay-ms 0.5]</pre>
 *
 * Every chunk read from one side is forwarded to the other side no earlier than {@code delay} after it was read;
 * chunks of one direction are written in the order they were read (a FIFO per direction, and the deadlines of a
 * FIFO never decrease), so a round trip through the proxy takes at least twice the delay. Bandwidth is not
 * limited. Binds 127.0.0.1 only. Prints "listening on PORT" once it accepts connections; prints the number of
 * connections and bytes forwarded when stopped.
 */
public class DelayProxy {

    private static final byte[] END = new byte[0];

    record Chunk(long deadline, byte[] data) {}

    static final AtomicLong UP = new AtomicLong();
    static final AtomicLong DOWN = new AtomicLong();
    static final AtomicLong CONNECTIONS = new AtomicLong();

    public static void main(String[] args) throws IOException {
        int listen = -1;
        String target = null;
        double delayMs = 0.5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> listen = Integer.parseInt(args[++i]);
                case "--target" -> target = args[++i];
                case "--delay-ms" -> delayMs = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (usage: --listen PORT --target HOST:PORT [--delay-ms 0.5])");
            }
        }
        if (listen < 0 || target == null || delayMs < 0) {
            throw new IllegalArgumentException("usage: --listen PORT --target HOST:PORT [--delay-ms 0.5]");
        }
        String host = target.substring(0, target.lastIndexOf(':'));
        int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        long delayNanos = Math.round(delayMs * 1_000_000);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.printf(
                "stopped: %d connections, %d bytes to the target, %d bytes back%n", CONNECTIONS.get(), UP.get(),
                DOWN.get())));
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listen), 256);
            System.out.printf("listening on %d, forwarding to %s with %.3f ms each way%n", listen, target, delayMs);
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                CONNECTIONS.incrementAndGet();
                try {
                    Socket upstream = new Socket(host, port);
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    AtomicInteger open = new AtomicInteger(2);
                    pump(client, upstream, delayNanos, UP, open);
                    pump(upstream, client, delayNanos, DOWN, open);
                } catch (IOException e) {
                    System.out.println("cannot reach " + target + ": " + e.getMessage());
                    client.close();
                }
            }
        }
    }

    /** Forwards from {@code in} to {@code out}: a reader thread stamps each chunk, a writer thread waits it out. */
    private static void pump(Socket from, Socket to, long delayNanos, AtomicLong counter, AtomicInteger open) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    queue.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, END));
        }, "read-" + from.getPort());
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    long wait;
                    while ((wait = chunk.deadline - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (chunk.data == END) {
                        break;
                    }
                    out.write(chunk.data);
                    out.flush();
                    counter.addAndGet(chunk.data.length);
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                // the other side went away: end both directions
                closeQuietly(from);
                closeQuietly(to);
            }
            if (open.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "write-" + to.getPort());
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
