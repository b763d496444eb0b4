import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Does compressing cached listing chunks pay? Builds the exact JSON of a listing of N members the way Roster
 * writes it, cuts it into 256 KiB chunks (Roster's chunk size), and measures deflate (level 1, the fastest
 * setting of the JDK's only built-in codec; LZ4 is not on Roster's classpath) on them: ratio, and compress /
 * inflate throughput. Usage: java bench/compression/Compression.java [members] [rounds]
 */
public class Compression {
    public static void main(String[] args) throws DataFormatException {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        StringBuilder json = new StringBuilder("{\"team\":\"ALPHA\",\"count\":" + members + ",\"members\":[");
        for (int i = 0; i < members; i++) {
            if (i > 0) json.append(',');
            json.append("{\"name\":\"user_").append(i).append("\",\"team\":\"ALPHA\",\"email\":\"user_").append(i)
                    .append("@example.com\",\"role\":\"member\",\"joinedAt\":\"2026-11-26T02:0").append(i % 10)
                    .append(":").append(10 + i % 50).append(".").append(100 + i % 900).append("Z\",\"version\":1}");
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        int chunk = 256 * 1024;
        long compressed = 0, compressNanos = Long.MAX_VALUE, inflateNanos = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long size = 0, t0 = System.nanoTime();
            byte[][] packed = new byte[(body.length + chunk - 1) / chunk][];
            for (int c = 0, from = 0; from < body.length; c++, from += chunk) {
                Deflater deflater = new Deflater(1);
                deflater.setInput(body, from, Math.min(chunk, body.length - from));
                deflater.finish();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[64 * 1024];
                while (!deflater.finished()) out.write(buf, 0, deflater.deflate(buf));
                deflater.end();
                packed[c] = out.toByteArray();
                size += packed[c].length;
            }
            compressNanos = Math.min(compressNanos, System.nanoTime() - t0);
            long t1 = System.nanoTime();
            byte[] buf = new byte[chunk];
            for (byte[] p : packed) {
                Inflater inflater = new Inflater();
                inflater.setInput(p);
                while (!inflater.finished()) inflater.inflate(buf);
                inflater.end();
            }
            inflateNanos = Math.min(inflateNanos, System.nanoTime() - t1);
            compressed = size;
        }
        double mb = body.length / 1e6;
        System.out.printf("members %d, JSON %.1f MB, deflate-1 %.1f MB (ratio %.1fx)%n", members, mb, compressed / 1e6, (double) body.length / compressed);
        System.out.printf("compress %.0f MB/s (%.0f ms), inflate %.0f MB/s (%.0f ms), best of %d%n",
                mb / (compressNanos / 1e9), compressNanos / 1e6, mb / (inflateNanos / 1e9), inflateNanos / 1e6, rounds);
    }
}
