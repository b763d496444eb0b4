package dev.roster.support;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for fault tests, between the application and a server (MongoDB here). It passes traffic, or
 * delays the server's replies, or swallows them (the request still reaches the server, so a write lands, but
 * its client never hears back and times out), or refuses connections; switchable at runtime.
 *
 * <p>With {@link Framing#MONGODB} it forwards whole wire-protocol messages and knows which command each reply
 * answers (the first key of an {@code OP_MSG} body, e.g. {@code findAndModify}, {@code delete}, {@code update}),
 * so a rule can target only the replies to some commands: the heartbeat and the reads before a write keep
 * working while the write's reply is lost. With {@link Framing#RAW} it moves bytes in chunks and rules apply to
 * every chunk from the server.
 */
public final class TcpProxy implements AutoCloseable {

    /** How the byte streams are cut into units that a rule applies to. */
    public enum Framing {
        RAW,
        MONGODB
    }

    private enum Action {
        PASS,
        DELAY,
        DROP
    }

    /** What happens to a reply; {@code commands} null means every reply. */
    private record Rule(Action action, long delayMillis, Set<String> commands) {
        boolean applies(String command) {
            return commands == null || commands.contains(command);
        }
    }

    private static final Rule PASS = new Rule(Action.PASS, 0, null);
    private static final int OP_QUERY = 2004;
    private static final int OP_MSG = 2013;
    private static final int HEADER = 16;

    private final InetSocketAddress target;
    private final Framing framing;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> forwarded = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> replied = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answered = new ConcurrentHashMap<>();
    private final AtomicLong swallowed = new AtomicLong();
    private volatile Rule rule = PASS;
    private volatile boolean refusing;
    private volatile boolean closed;

    public TcpProxy(String host, int port, Framing framing) throws IOException {
        this.target = new InetSocketAddress(host, port);
        this.framing = framing;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Passes everything again (and accepts connections again after {@link #refuse()}). */
    public void pass() {
        refusing = false;
        rule = PASS;
    }

    /** Holds each reply from the server for this long before passing it on. */
    public void delayReplies(Duration delay) {
        rule = new Rule(Action.DELAY, delay.toMillis(), null);
    }

    /** Holds the replies to these commands (MongoDB framing) for this long. */
    public void delayRepliesTo(Duration delay, String... commands) {
        rule = new Rule(Action.DELAY, delay.toMillis(), Set.of(commands));
    }

    /** Swallows every reply from the server (the requests still reach it). */
    public void dropReplies() {
        rule = new Rule(Action.DROP, 0, null);
    }

    /** Swallows the replies to these commands only (MongoDB framing); the requests still reach the server. */
    public void dropRepliesTo(String... commands) {
        rule = new Rule(Action.DROP, 0, Set.of(commands));
    }

    /** Closes every connection and refuses new ones (accepted, then closed at once) until {@link #pass()}. */
    public void refuse() {
        refusing = true;
        for (Link link : links) {
            link.close();
        }
    }

    /** Messages carrying this command that were passed on to the server (MongoDB framing). */
    public long forwarded(String command) {
        return count(forwarded, command);
    }

    /**
     * Replies to this command that the server sent (MongoDB framing), whether passed on, held or swallowed: the
     * server has executed the command.
     */
    public long replied(String command) {
        return count(replied, command);
    }

    /** Replies to this command that were passed on to the client, after any delay (MongoDB framing). */
    public long answered(String command) {
        return count(answered, command);
    }

    private static long count(Map<String, AtomicLong> counts, String command) {
        AtomicLong count = counts.get(command);
        return count == null ? 0 : count.get();
    }

    /** Replies swallowed so far. */
    public long swallowed() {
        return swallowed.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 2000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Link link = new Link(client, upstream);
                links.add(link);
                threads.execute(link::clientToServer);
                threads.execute(link::serverToClient);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One proxied connection: two pumps, and which command each outstanding request id carries. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final Map<Integer, String> pending = new ConcurrentHashMap<>();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void clientToServer() {
            try (InputStream in = new BufferedInputStream(client.getInputStream())) {
                OutputStream out = upstream.getOutputStream();
                if (framing == Framing.RAW) {
                    byte[] buffer = new byte[65536];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    return;
                }
                DataInputStream data = new DataInputStream(in);
                while (true) {
                    byte[] message = readMessage(data);
                    String command = commandOf(message);
                    pending.put(intAt(message, 4), command);
                    out.write(message);
                    out.flush();
                    forwarded.computeIfAbsent(command, c -> new AtomicLong()).incrementAndGet();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                close();
            }
        }

        void serverToClient() {
            try (InputStream in = new BufferedInputStream(upstream.getInputStream())) {
                OutputStream out = client.getOutputStream();
                if (framing == Framing.RAW) {
                    byte[] buffer = new byte[65536];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        Rule now = rule;
                        long arrived = System.currentTimeMillis();
                        if (now.action() == Action.DROP) {
                            swallowed.incrementAndGet();
                            continue;
                        }
                        holdUntil(now, arrived);
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                    return;
                }
                DataInputStream data = new DataInputStream(in);
                while (true) {
                    byte[] message = readMessage(data);
                    long arrived = System.currentTimeMillis();
                    String command = pending.getOrDefault(intAt(message, 8), "");
                    pending.remove(intAt(message, 8));
                    replied.computeIfAbsent(command, c -> new AtomicLong()).incrementAndGet();
                    Rule now = rule;
                    if (now.action() != Action.PASS && now.applies(command)) {
                        if (now.action() == Action.DROP) {
                            swallowed.incrementAndGet();
                            continue;
                        }
                        holdUntil(now, arrived);
                    }
                    out.write(message);
                    out.flush();
                    answered.computeIfAbsent(command, c -> new AtomicLong()).incrementAndGet();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                close();
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void holdUntil(Rule rule, long arrived) {
        if (rule.action() != Action.DELAY) {
            return;
        }
        long wait = arrived + rule.delayMillis() - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] readMessage(DataInputStream in) throws IOException {
        byte[] header = new byte[HEADER];
        in.readFully(header);
        int length = intAt(header, 0);
        if (length < HEADER) {
            throw new EOFException("not a MongoDB wire-protocol message (length " + length + ")");
        }
        byte[] message = Arrays.copyOf(header, length);
        in.readFully(message, HEADER, length - HEADER);
        return message;
    }

    /** The command a request carries: the first key of its command document ("" when it cannot be told). */
    static String commandOf(byte[] message) {
        int opCode = intAt(message, 12);
        int at;
        if (opCode == OP_MSG) {
            at = HEADER + 4;
            while (at < message.length && message[at] == 1) {
                at += 1 + intAt(message, at + 1);
            }
            if (at >= message.length) {
                return "";
            }
            at += 1;
        } else if (opCode == OP_QUERY) {
            at = HEADER + 4;
            while (at < message.length && message[at] != 0) {
                at++;
            }
            at += 1 + 8;
        } else {
            return "";
        }
        int nameStart = at + 4 + 1;
        int end = nameStart;
        while (end < message.length && message[end] != 0) {
            end++;
        }
        return end >= message.length ? "" : new String(message, nameStart, end - nameStart, StandardCharsets.UTF_8);
    }

    private static int intAt(byte[] bytes, int at) {
        return (bytes[at] & 0xff)
                | (bytes[at + 1] & 0xff) << 8
                | (bytes[at + 2] & 0xff) << 16
                | (bytes[at + 3] & 0xff) << 24;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link link : links) {
            link.close();
        }
        threads.shutdownNow();
    }
}
