import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The Markdown report of bench/ab-hits.sh, from its raw rows: {@code java bench/tools/HitsReport.java ROWS.tsv OUT.md}.
 *
 * <p>Rows (tab-separated, first field is the kind):
 * <pre>
 * meta      key value
 * note      text
 * reference system                                  (ratios are given against each reference)
 * system    id description request process check
 * bytes     id status content-encoding wire_bytes decoded_bytes sha256-prefix header_bytes
 * order     round id...
 * run       round id position rps p50_ms p99_ms requests errors wrk_bytes app_cpu_us redis_cpu_us commandstats
 * </pre>
 * commandstats is {@code name=calls:usec,...} or {@code -}. Per system the tables give the median and the min–max
 * over the rounds; a ratio between two systems is computed per round and reported as the median of the per-round
 * ratios with their min–max, and only between systems that sent the same bytes (same Content-Encoding, same decoded
 * body, and the same size on the wire: exactly for identity, within the gzip tolerance for gzip, whose compressors
 * differ by a few bytes).
 */
public class HitsReport {

    record Sys(String id, String description, String request, String process, String check) {}

    record Bytes(String id, String status, String encoding, long wire, long decoded, String sha, long headers) {}

    record Run(int round, String id, int position, double rps, double p50, double p99, long requests, long errors,
            long wrkBytes, long appUs, long redisUs, Map<String, Long> calls) {

        double appPerReq() {
            return requests > 0 ? (double) appUs / requests : Double.NaN;
        }

        double redisPerReq() {
            return requests > 0 ? (double) redisUs / requests : Double.NaN;
        }

        double cpuPerReq() {
            return appPerReq() + redisPerReq();
        }

        double cmdsPerReq() {
            return requests > 0 ? calls.values().stream().mapToLong(Long::longValue).sum() / (double) requests
                    : Double.NaN;
        }

        double callsPerReq(String command) {
            return requests > 0 ? calls.getOrDefault(command, 0L) / (double) requests : Double.NaN;
        }

        double bytesPerResponse() {
            return requests > 0 ? (double) wrkBytes / requests : Double.NaN;
        }
    }

    record Stat(int n, double median, double min, double max) {
        static Stat of(List<Double> values) {
            List<Double> v = values.stream().filter(d -> !d.isNaN()).sorted().collect(Collectors.toList());
            if (v.isEmpty()) {
                return new Stat(0, Double.NaN, Double.NaN, Double.NaN);
            }
            int n = v.size();
            double m = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Stat(n, m, v.get(0), v.get(n - 1));
        }

        String fmt(int decimals) {
            if (n == 0) {
                return "-";
            }
            String f = "%,." + decimals + "f";
            return n == 1 ? String.format(Locale.ROOT, f, median)
                    : String.format(Locale.ROOT, f + " (" + f + "–" + f + ")", median, min, max);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        Map<String, Sys> systems = new LinkedHashMap<>();
        Map<String, Bytes> bytes = new LinkedHashMap<>();
        List<String> orders = new ArrayList<>();
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "meta" -> meta.put(f[1], f[2]);
                case "note" -> notes.add(f[1]);
                case "reference" -> refs.add(f[1]);
                case "system" -> systems.put(f[1], new Sys(f[1], f[2], f[3], f[4], f[5]));
                case "bytes" -> bytes.put(f[1], new Bytes(f[1], f[2], f[3], l(f[4]), l(f[5]), f[6], l(f[7])));
                case "order" -> orders.add("round " + f[1] + ": " + String.join(", ", Arrays.copyOfRange(f, 2, f.length)));
                case "run" -> runs.add(new Run(Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), d(f[4]), d(f[5]),
                        d(f[6]), l(f[7]), l(f[8]), l(f[9]), l(f[10]), l(f[11]), calls(f[12])));
                default -> throw new IllegalArgumentException("unknown row kind: " + f[0]);
            }
        }
        double tolerance = Double.parseDouble(meta.getOrDefault("gzip tolerance", "1")) / 100;
        int rounds = Integer.parseInt(meta.getOrDefault("rounds", "0"));
        StringBuilder md = new StringBuilder();
        String request = meta.getOrDefault("request", "");
        md.append("# Cache hits, one run: ").append(String.join(", ", systems.keySet())).append("\n\n");
        if (rounds < 5) {
            md.append("**Trial of the script, not a result: ").append(rounds)
                    .append(" round(s), fewer than the 5 a comparison needs. Quote no number from this file.**\n\n");
        }
        for (var e : meta.entrySet()) {
            if (!e.getKey().equals("gzip tolerance") && !e.getKey().equals("rounds")) {
                md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
            }
        }
        md.append('\n');

        md.append("## Systems\n\n| system | what it is | request | hit check before measuring |\n|---|---|---|---|\n");
        for (Sys s : systems.values()) {
            md.append("| ").append(s.id).append(" | ").append(s.description).append(" | `").append(s.request)
                    .append("` | ").append(s.check).append(" |\n");
        }
        md.append('\n');

        md.append("## Bytes sent for the request\n\n");
        md.append("One GET per system before the warm-up (").append(request).append("). Rows are compared only when ")
                .append("they send the same bytes: same Content-Encoding, the same body once decoded (SHA-256), and ")
                .append("the same size on the wire (identity: exactly; gzip: within ")
                .append(String.format(Locale.ROOT, "%.1f", tolerance * 100))
                .append(" %, as two compressors differ by a few bytes). wrk's bytes per response include headers.\n\n");
        md.append("| system | status | Content-Encoding | body bytes on the wire | decoded bytes | body SHA-256 (prefix) "
                + "| header bytes | wrk bytes/response (median) |");
        for (String ref : refs) {
            md.append(" same bytes as ").append(ref).append(" |");
        }
        md.append("\n|---|---|---|--:|--:|---|--:|--:|");
        refs.forEach(r -> md.append("---|"));
        md.append('\n');
        for (Bytes b : bytes.values()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | `%s` | %,d | %s |", b.id, b.status,
                    b.encoding, b.wire, b.decoded, b.sha, b.headers,
                    stat(rows(runs, b.id), Run::bytesPerResponse).fmt(0).replaceAll(" \\(.*", "")));
            for (String ref : refs) {
                md.append(' ').append(b.id.equals(ref) ? "(reference)" : sameBytes(bytes, b.id, ref, tolerance)
                        .map(why -> "**no**: " + why).orElse("yes")).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');

        md.append("## Per system: median (min–max) over the rounds\n\n");
        md.append("| system | rounds | req/s | p99 ms | p50 ms | app CPU µs/req | Redis CPU µs/req | CPU µs/req, app + Redis "
                + "| Redis commands/req | errors |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String id : systems.keySet()) {
            List<Run> r = rows(runs, id);
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |\n", id, r.size(),
                    stat(r, Run::rps).fmt(0), stat(r, Run::p99).fmt(2), stat(r, Run::p50).fmt(2),
                    stat(r, Run::appPerReq).fmt(1), stat(r, Run::redisPerReq).fmt(1), stat(r, Run::cpuPerReq).fmt(1),
                    stat(r, Run::cmdsPerReq).fmt(2), r.stream().mapToLong(Run::errors).sum()));
        }
        md.append('\n');

        Set<String> commands = new TreeSet<>();
        runs.forEach(r -> commands.addAll(r.calls.keySet()));
        if (!commands.isEmpty()) {
            md.append("### Redis commands per request, by command (median over the rounds)\n\n| system |");
            commands.forEach(c -> md.append(' ').append(c).append(" |"));
            md.append("\n|---|");
            commands.forEach(c -> md.append("--:|"));
            md.append('\n');
            for (String id : systems.keySet()) {
                md.append("| ").append(id).append(" |");
                for (String c : commands) {
                    md.append(' ').append(stat(rows(runs, id), r -> r.callsPerReq(c)).fmt(3).replaceAll(" \\(.*", ""))
                            .append(" |");
                }
                md.append('\n');
            }
            md.append("\nEvery client's commands count, the idle systems' background traffic too (see the notes).\n\n");
        }

        for (String ref : refs) {
            md.append("## Ratios to ").append(ref).append(", per round\n\n");
            md.append("Each system's number ÷ ").append(ref).append("'s in the same round; median of the per-round ")
                    .append("ratios (min–max), then every round's ratio in round order. req/s: above 1 is faster; ")
                    .append("p99 and CPU per request: below 1 is better.\n\n");
            md.append("| system | req/s ÷ ref | per round | p99 ÷ ref | per round | CPU µs/req (app + Redis) ÷ ref "
                    + "| ratio of the median req/s |\n|---|--:|---|--:|---|--:|--:|\n");
            List<Run> base = rows(runs, ref);
            for (String id : systems.keySet()) {
                if (id.equals(ref)) {
                    continue;
                }
                Optional<String> differ = sameBytes(bytes, id, ref, tolerance);
                if (differ.isPresent()) {
                    md.append("| ").append(id).append(" | not compared: bytes differ (").append(differ.get())
                            .append(") | | | | | |\n");
                    continue;
                }
                List<Run> r = rows(runs, id);
                List<Double> rps = perRound(r, base, Run::rps);
                List<Double> p99 = perRound(r, base, Run::p99);
                Bytes x = bytes.get(id);
                Bytes y = bytes.get(ref);
                String flag = x.wire == y.wire ? "" : String.format(Locale.ROOT, " (sends %+.1f %% bytes on the wire)",
                        100.0 * (x.wire - y.wire) / y.wire);
                md.append(String.format(Locale.ROOT, "| %s%s | %s× | %s | %s× | %s | %s× | %s× |\n", id, flag,
                        Stat.of(rps).fmt(2), list(rps), Stat.of(p99).fmt(2), list(p99),
                        Stat.of(perRound(r, base, Run::cpuPerReq)).fmt(2),
                        String.format(Locale.ROOT, "%.2f", stat(r, Run::rps).median / stat(base, Run::rps).median)));
            }
            md.append('\n');
        }

        md.append("## Every window\n\n| round | position | system | req/s | p99 ms | p50 ms | requests | errors "
                + "| app CPU µs/req | Redis CPU µs/req | Redis commands/req | wrk bytes/response |\n"
                + "|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        runs.stream().sorted((a, b) -> a.round != b.round ? a.round - b.round : a.position - b.position)
                .forEach(r -> md.append(String.format(Locale.ROOT,
                        "| %d | %d | %s | %,.0f | %.2f | %.2f | %,d | %d | %.1f | %.1f | %.2f | %,.0f |\n", r.round,
                        r.position, r.id, r.rps, r.p99, r.p50, r.requests, r.errors, r.appPerReq(), r.redisPerReq(),
                        r.cmdsPerReq(), r.bytesPerResponse())));
        md.append('\n');

        md.append("## Order of each round\n\n");
        orders.forEach(o -> md.append("- ").append(o).append('\n'));
        md.append('\n');
        md.append("## Notes\n\n");
        md.append("- Compare ratios within this run; absolute numbers depend on the machine and on whatever else ran "
                + "on it (see the load average).\n");
        List<String> failing = bytes.values().stream().filter(b -> !b.status.equals("200")).map(Bytes::id)
                .collect(Collectors.toList());
        if (!failing.isEmpty()) {
            md.append("- Not answering 200 before the warm-up: ").append(String.join(", ", failing)).append('\n');
        }
        runs.stream().filter(r -> r.errors > 0).forEach(r -> md.append("- ").append(r.id).append(", round ")
                .append(r.round).append(": ").append(r.errors).append(" errors (socket errors and non-2xx)\n"));
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        Files.writeString(Path.of(args[1]), md.toString());
    }

    /** Empty when the two systems sent the same bytes; otherwise why not. */
    static Optional<String> sameBytes(Map<String, Bytes> bytes, String a, String b, double tolerance) {
        Bytes x = bytes.get(a);
        Bytes y = bytes.get(b);
        if (x == null || y == null) {
            return Optional.of("not checked");
        }
        if (!x.status.equals("200") || !y.status.equals("200")) {
            return Optional.of("HTTP " + x.status + " vs " + y.status);
        }
        if (!x.encoding.equals(y.encoding)) {
            return Optional.of(x.encoding + " vs " + y.encoding);
        }
        if (!x.sha.equals(y.sha)) {
            return Optional.of(String.format(Locale.ROOT, "different bodies, %,d vs %,d bytes decoded", x.decoded,
                    y.decoded));
        }
        double gap = Math.abs(x.wire - y.wire) / (double) Math.max(1, Math.max(x.wire, y.wire));
        boolean same = x.encoding.equals("identity") ? x.wire == y.wire : gap <= tolerance;
        return same ? Optional.empty()
                : Optional.of(String.format(Locale.ROOT, "%,d vs %,d bytes on the wire", x.wire, y.wire));
    }

    static List<Run> rows(List<Run> runs, String id) {
        return runs.stream().filter(r -> r.id.equals(id)).collect(Collectors.toList());
    }

    static Stat stat(List<Run> rows, ToDoubleFunction<Run> f) {
        return Stat.of(rows.stream().map(r -> f.applyAsDouble(r)).collect(Collectors.toList()));
    }

    /** The ratio of a system's value to the reference's in each round both ran, in round order. */
    static List<Double> perRound(List<Run> rows, List<Run> base, ToDoubleFunction<Run> f) {
        List<Double> out = new ArrayList<>();
        Set<Integer> rounds = new LinkedHashSet<>();
        rows.stream().map(Run::round).sorted().forEach(rounds::add);
        for (int round : rounds) {
            Optional<Run> a = rows.stream().filter(r -> r.round == round).findFirst();
            Optional<Run> b = base.stream().filter(r -> r.round == round).findFirst();
            if (a.isPresent() && b.isPresent() && f.applyAsDouble(b.get()) > 0) {
                out.add(f.applyAsDouble(a.get()) / f.applyAsDouble(b.get()));
            }
        }
        return out;
    }

    static String list(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).collect(Collectors.joining(" "));
    }

    static Map<String, Long> calls(String field) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (field.isBlank() || field.equals("-")) {
            return out;
        }
        for (String item : field.split(",")) {
            String[] kv = item.split("=", 2);
            out.put(kv[0], Long.parseLong(kv[1].split(":", 2)[0]));
        }
        return out;
    }

    static double d(String s) {
        return s.isBlank() || s.equals("-") ? Double.NaN : Double.parseDouble(s);
    }

    static long l(String s) {
        return s.isBlank() || s.equals("-") ? 0 : Long.parseLong(s);
    }
}
