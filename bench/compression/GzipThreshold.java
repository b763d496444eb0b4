import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Where does storing a body gzip-compressed start to pay? For listing bodies of growing size, measures what a
 * hit costs a client that does not accept gzip (GET of the identity bytes vs GET of the compressed bytes plus
 * inflating them), what it costs one that does (GET of the compressed bytes, nothing else), and what compressing
 * costs the miss that stores the entry. Talks RESP to a real Redis. Crude: one connection, best of 5 rounds.
 * Usage: redis-server --port 6399 --save '' & java bench/compression/GzipThreshold.java [port] [iterations]
 */
public class GzipThreshold {
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6399;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            System.out.println("| identity bytes | gzip bytes | ratio | GET identity µs | GET gzip + inflate µs"
                    + " | GET gzip µs (gzip client) | deflate µs (once per store) |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int size : new int[] {512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 262144, 1048576}) {
                byte[] body = listing(size);
                long deflate = best(() -> gzip(body), Math.max(20, iterations / 10));
                byte[] packed = gzip(body);
                command(out, in, "SET", "bench:id", body);
                command(out, in, "SET", "bench:gz", packed);
                int n = Math.max(50, (int) ((long) iterations * 4096 / Math.max(size, 4096)));
                long identity = best(() -> command(out, in, "GET", "bench:id", null), n);
                long inflated = best(() -> inflate(command(out, in, "GET", "bench:gz", null)), n);
                long sent = best(() -> command(out, in, "GET", "bench:gz", null), n);
                System.out.printf("| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", body.length, packed.length,
                        (double) body.length / packed.length, identity / 1e3, inflated / 1e3, sent / 1e3,
                        deflate / 1e3);
            }
        }
    }

    interface Op { Object run() throws IOException; }

    /** Best mean time of one op, in nanoseconds, over 5 rounds of {@code n}. */
    static long best(Op op, int n) throws IOException {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) op.run();
            best = Math.min(best, (System.nanoTime() - t0) / n);
        }
        return best;
    }

    /** A listing body of about {@code size} bytes, in the shape Roster writes. */
    static byte[] listing(int size) {
        StringBuilder json = new StringBuilder("{\"team\":\"ALPHA\",\"count\":0,\"members\":[");
        for (int i = 0; json.length() < size - 2; i++) {
            if (i > 0) json.append(',');
            json.append("{\"name\":\"user_").append(i).append("\",\"team\":\"ALPHA\",\"email\":\"user_").append(i)
                    .append("@example.com\",\"role\":\"member\",\"joinedAt\":\"2026-11-26T02:0").append(i % 10)
                    .append(":").append(10 + i % 50).append(".").append(100 + i % 900).append("Z\",\"version\":1}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length / 8);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {{ def.setLevel(1); }}) {
            gz.write(body);
        }
        return bytes.toByteArray();
    }

    static byte[] inflate(byte[] packed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(packed), 1 << 16)) {
            return in.readAllBytes();
        }
    }

    static byte[] command(OutputStream out, InputStream in, String name, String key, byte[] value)
            throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        int parts = value == null ? 2 : 3;
        request.write(("*" + parts + "\r\n").getBytes(StandardCharsets.US_ASCII));
        bulk(request, name.getBytes(StandardCharsets.US_ASCII));
        bulk(request, key.getBytes(StandardCharsets.US_ASCII));
        if (value != null) bulk(request, value);
        out.write(request.toByteArray());
        out.flush();
        int type = in.read();
        String line = readLine(in);
        if (type == '$') {
            byte[] reply = in.readNBytes(Integer.parseInt(line));
            readLine(in);
            return reply;
        }
        if (type != '+') throw new IOException("unexpected reply " + (char) type + line);
        return null;
    }

    static void bulk(ByteArrayOutputStream out, byte[] value) throws IOException {
        out.write(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(value);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) line.append((char) c);
        in.read();
        return line.toString();
    }
}
