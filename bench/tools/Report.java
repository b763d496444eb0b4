import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Turns the raw rows that {@code bench/run.sh} collects (a TSV) into the Markdown results and the SVG chart.
 *
 * <pre>java bench/tools/Report.java results.tsv out.md out.svg</pre>
 *
 * Row kinds (tab-separated, first field is the kind; a row without a round is round 1, or 0 for a cold call):
 * <pre>
 * meta     key value
 * note     text
 * method   section(big|wrk|mix) text
 * order    comparison round systems-in-the-order-they-ran
 * big      system call seconds ttfb_s bytes status heap_start_mb heap_peak_mb heap_after_gc_max_mb how round served
 * wrk      workload system rps p50_ms p99_ms errors redis_cmds_per_req how round
 *          [app_cpu_us_per_req redis_cpu_us_per_req bytes_per_req commands_per_req(name=n,...)]
 * bytes    workload system status content-encoding wire_bytes decoded_bytes sha256-prefix header_bytes
 * mix      system rps p50_ms p99_ms read_p50_ms write_p50_ms reads writes checked stale errors how round
 * redismem system bytes keys how
 * </pre>
 *
 * Every measured row is one round; the tables give per system and workload the median and the min–max over the
 * rounds. A ratio between two systems is computed per round (both measured in that round) and reported as the
 * median of those per-round ratios, with their min–max; in the wrk workloads only between systems whose "bytes"
 * rows match (same status, Content-Encoding, decoded body and size; files without bytes rows are compared as
 * before). The chart shows medians.
 */
public class Report {

    /** Colours per system, in legend order. */
    private static final Map<String, String> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("roster-cache", "#1b7837");
        COLOURS.put("roster-near", "#5aae61");
        COLOURS.put("roster-nocache", "#a6dba0");
        COLOURS.put("baseline-tuned", "#2166ac");
        COLOURS.put("baseline-body", "#6a51a3");
        COLOURS.put("baseline-default", "#92c5de");
        COLOURS.put("ceiling-json", "#b2182b");
        COLOURS.put("ceiling-stream", "#f4a582");
        COLOURS.put("baseline-caffeine", "#9e9ac8");
        COLOURS.put("nginx-body", "#4d4d4d");
        COLOURS.put("ceiling-gzip", "#fddbc7");
    }

    record Big(String system, String call, double seconds, double ttfb, long bytes, String status, double heapStart,
            double heapPeak, double heapAfterGc, String how, int round, String served) {}

    record Wrk(String workload, String system, double rps, double p50, double p99, long errors, double cmdsPerReq,
            String how, int round, double appUs, double redisUs, double bytesPerReq, String commands) {

        Wrk(String workload, String system, double rps, double p50, double p99, long errors, double cmdsPerReq,
                String how, int round) {
            this(workload, system, rps, p50, p99, errors, cmdsPerReq, how, round, Double.NaN, Double.NaN, Double.NaN,
                    "");
        }

        double cpuUs() {
            return appUs + redisUs;
        }
    }

    /** What a system sent for a workload's request, fetched once before the rounds. */
    record Sent(String status, String encoding, long wire, long decoded, String sha, long headers) {}

    /** The "bytes" rows, by workload and system (static: the ratio tables consult it). */
    static final Map<String, Sent> SENT = new LinkedHashMap<>();

    record Mixed(String system, double rps, double p50, double p99, double readP50, double writeP50, long reads,
            long writes, long checked, long stale, long errors, String how, int round) {}

    record RedisMem(String system, long bytes, long keys, String how) {}

    /** Median and spread of one quantity over the rounds. */
    record Stat(double median, double min, double max, int n) {
        static Stat of(List<Double> values) {
            List<Double> v = values.stream().filter(d -> d != null && !d.isNaN() && !d.isInfinite()).sorted()
                    .collect(Collectors.toList());
            if (v.isEmpty()) {
                return new Stat(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            int n = v.size();
            double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Stat(median, v.get(0), v.get(n - 1), n);
        }

        String fmt(int decimals) {
            if (n == 0) {
                return "-";
            }
            if (n == 1 || min == max) {
                return num(median, decimals);
            }
            return num(median, decimals) + " (" + num(min, decimals) + "–" + num(max, decimals) + ")";
        }
    }

    static <T> Stat stat(List<T> rows, ToDoubleFunction<T> f) {
        return Stat.of(rows.stream().map(r -> f.applyAsDouble(r)).collect(Collectors.toList()));
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> methods = new LinkedHashMap<>();
        List<String> orders = new ArrayList<>();
        List<Big> big = new ArrayList<>();
        List<Wrk> wrk = new ArrayList<>();
        List<Mixed> mix = new ArrayList<>();
        List<RedisMem> mem = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "meta" -> meta.put(f[1], f[2]);
                case "note" -> notes.add(f[1]);
                case "method" -> methods.put(f[1], f[2]);
                case "order" -> orders.add(f[1] + ", round " + f[2] + ": " + f[3]);
                case "big" -> big.add(new Big(f[1], f[2], d(f[3]), d(f[4]), l(f[5]), f[6], d(f[7]), d(f[8]), d(f[9]),
                        f[10], f.length > 11 ? (int) l(f[11]) : (f[2].equals("cold") ? 0 : 1),
                        f.length > 12 ? f[12] : "-"));
                case "wrk" -> wrk.add(f.length > 13
                        ? new Wrk(f[1], f[2], d(f[3]), d(f[4]), d(f[5]), l(f[6]), d(f[7]), f[8], (int) l(f[9]),
                                d(f[10]), d(f[11]), d(f[12]), f[13])
                        : new Wrk(f[1], f[2], d(f[3]), d(f[4]), d(f[5]), l(f[6]), d(f[7]), f[8],
                                f.length > 9 ? (int) l(f[9]) : 1));
                case "bytes" -> SENT.put(f[1] + "\t" + f[2], f.length > 8
                        ? new Sent(f[3], f[4], l(f[5]), l(f[6]), f[7], l(f[8]))
                        : new Sent("none", "none", 0, 0, "-", 0));
                case "mix" -> mix.add(new Mixed(f[1], d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), l(f[7]), l(f[8]),
                        l(f[9]), l(f[10]), l(f[11]), f[12], f.length > 13 ? (int) l(f[13]) : 1));
                case "redismem" -> mem.add(new RedisMem(f[1], l(f[2]), l(f[3]), f[4]));
                default -> throw new IllegalArgumentException("unknown row kind: " + f[0]);
            }
        }
        Files.writeString(Path.of(args[1]),
                markdown(meta, notes, methods, orders, big, wrk, mix, mem, args.length > 2 ? args[2] : null));
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), svg(meta, medianBig(big), medianWrk(wrk), medianMix(mix)));
        }
    }

    // ---------------------------------------------------------------------------------------------- grouping

    /** Rows grouped by a key, in the order the keys first appear. */
    static <T> Map<String, List<T>> group(List<T> rows, Function<T, String> key) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        for (T r : rows) {
            groups.computeIfAbsent(key.apply(r), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    static List<Wrk> medianWrk(List<Wrk> wrk) {
        List<Wrk> out = new ArrayList<>();
        for (List<Wrk> g : group(wrk, w -> w.workload + "\t" + w.system).values()) {
            Wrk w = g.get(0);
            out.add(new Wrk(w.workload, w.system, stat(g, Wrk::rps).median, stat(g, Wrk::p50).median,
                    stat(g, Wrk::p99).median, g.stream().mapToLong(Wrk::errors).sum(), stat(g, Wrk::cmdsPerReq).median,
                    w.how, 0));
        }
        return out;
    }

    static List<Big> medianBig(List<Big> big) {
        List<Big> out = new ArrayList<>();
        for (List<Big> all : group(big, b -> b.system + "\t" + b.call).values()) {
            List<Big> g = all.stream().filter(b -> b.status.equals("200")).collect(Collectors.toList());
            Big b = all.get(0);
            if (g.isEmpty()) {
                out.add(b);
                continue;
            }
            out.add(new Big(b.system, b.call, stat(g, Big::seconds).median, stat(g, Big::ttfb).median,
                    (long) stat(g, x -> x.bytes).median, "200", stat(g, Big::heapStart).median,
                    stat(g, Big::heapPeak).median, stat(g, Big::heapAfterGc).median, b.how, 0, b.served));
        }
        return out;
    }

    static List<Mixed> medianMix(List<Mixed> mix) {
        List<Mixed> out = new ArrayList<>();
        for (List<Mixed> g : group(mix, Mixed::system).values()) {
            Mixed m = g.get(0);
            out.add(new Mixed(m.system, stat(g, Mixed::rps).median, stat(g, Mixed::p50).median,
                    stat(g, Mixed::p99).median, stat(g, Mixed::readP50).median, stat(g, Mixed::writeP50).median,
                    g.stream().mapToLong(Mixed::reads).sum(), g.stream().mapToLong(Mixed::writes).sum(),
                    g.stream().mapToLong(Mixed::checked).sum(), g.stream().mapToLong(Mixed::stale).sum(),
                    g.stream().mapToLong(Mixed::errors).sum(), m.how, 0));
        }
        return out;
    }

    /**
     * Per-round ratios num/den of a quantity between two row sets (each keyed by round; only rounds where both
     * have a usable value count).
     */
    static <T> Stat perRound(List<T> num, List<T> den, Function<T, Integer> round, ToDoubleFunction<T> f) {
        Map<Integer, Double> d = new LinkedHashMap<>();
        for (T r : den) {
            d.put(round.apply(r), f.applyAsDouble(r));
        }
        List<Double> ratios = new ArrayList<>();
        for (T r : num) {
            Double b = d.get(round.apply(r));
            double a = f.applyAsDouble(r);
            if (b != null && b > 0 && !Double.isNaN(a) && !Double.isNaN(b)) {
                ratios.add(a / b);
            }
        }
        return Stat.of(ratios);
    }

    static List<Wrk> wrkRows(List<Wrk> wrk, String workload, String system) {
        return wrk.stream().filter(w -> w.workload.equals(workload) && w.system.equals(system))
                .collect(Collectors.toList());
    }

    static List<Big> bigRows(List<Big> big, String system, String call) {
        return big.stream().filter(b -> b.system.equals(system) && b.call.equals(call) && b.status.equals("200"))
                .collect(Collectors.toList());
    }

    // ---------------------------------------------------------------------------------------------- Markdown

    private static String markdown(Map<String, String> meta, List<String> notes, Map<String, String> methods,
            List<String> orders, List<Big> big, List<Wrk> wrk, List<Mixed> mix, List<RedisMem> mem, String svgPath) {
        StringBuilder md = new StringBuilder();
        md.append("# Roster benchmark: ").append(meta.getOrDefault("date", "")).append("\n\n");
        md.append("Command (from the repository root):\n\n```\n").append(meta.getOrDefault("command", "?"))
                .append("\n```\n\n");
        md.append("| setting | value |\n|---|---|\n");
        for (var e : meta.entrySet()) {
            if (!e.getKey().equals("command") && !e.getKey().equals("date")) {
                md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        md.append("\nAll systems ran at the same time on this machine, against one MongoDB wire-protocol server "
                + "(mongo-java-server, in memory) and one Redis. Compare ratios within this run, not absolute numbers "
                + "across runs or machines. Cells read `median (min–max)` over the rounds; a single value means one "
                + "round, or the same value in every round.\n\n");

        if (!big.isEmpty()) {
            md.append("## The big team: full listings, cold, warm, gzip, concurrent and miss\n\n");
            method(md, methods, "big");
            md.append("| system | call | rounds | time (s) | first byte (s) | bytes | HTTP | served as "
                    + "| heap before (MB) | heap peak (MB) | max heap after a GC (MB) | what the call was |\n");
            md.append("|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---|\n");
            for (var e : group(big, b -> b.system + "\t" + b.call).entrySet()) {
                List<Big> all = e.getValue();
                List<Big> ok = all.stream().filter(b -> b.status.equals("200")).collect(Collectors.toList());
                Big b = all.get(0);
                String statuses = all.stream().map(Big::status).distinct().collect(Collectors.joining(", "));
                if (ok.size() < all.size()) {
                    statuses = "**" + statuses + "** (" + ok.size() + " of " + all.size() + " answered 200)";
                }
                String served = all.stream().map(x -> x.served.replaceAll(";? *ttl=[0-9]+", "")).distinct()
                        .collect(Collectors.joining(" / "));
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                        b.system, b.call, all.size(), stat(ok, Big::seconds).fmt(3), stat(ok, Big::ttfb).fmt(3),
                        stat(all, x -> x.bytes).fmt(0), statuses, served, stat(all, Big::heapStart).fmt(0),
                        stat(all, Big::heapPeak).fmt(0), stat(all, Big::heapAfterGc).fmt(0), b.how));
            }
            md.append('\n');
            md.append(bigRatios(big));
        }
        if (!mem.isEmpty()) {
            md.append("## Redis memory of the big team's cache entry\n\n");
            md.append("| system | bytes | MiB | keys | how |\n|---|---:|---:|---:|---|\n");
            for (RedisMem m : mem) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %d | %s |\n", m.system, m.bytes,
                        m.bytes / 1048576.0, m.keys, m.how));
            }
            md.append('\n');
        }
        if (!wrk.isEmpty()) {
            md.append("## Small and medium teams under load (wrk)\n\n");
            method(md, methods, "wrk");
            boolean cpu = wrk.stream().anyMatch(w -> !Double.isNaN(w.appUs));
            md.append("| workload | system | rounds | req/s | p50 (ms) | p99 (ms) | errors | Redis cmds/req ");
            md.append(cpu ? "| app CPU µs/req | Redis CPU µs/req | bytes/req (wrk) " : "");
            md.append("| what was requested |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|").append(cpu ? "---:|---:|---:|" : "").append("---|\n");
            for (List<Wrk> g : group(wrk, w -> w.workload + "\t" + w.system).values()) {
                Wrk w = g.get(0);
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %d | %s | ", w.workload,
                        w.system, g.size(), stat(g, Wrk::rps).fmt(0), stat(g, Wrk::p50).fmt(2),
                        stat(g, Wrk::p99).fmt(2), g.stream().mapToLong(Wrk::errors).sum(),
                        stat(g, Wrk::cmdsPerReq).fmt(2)));
                if (cpu) {
                    md.append(stat(g, Wrk::appUs).fmt(1)).append(" | ").append(stat(g, Wrk::redisUs).fmt(1))
                            .append(" | ").append(num(stat(g, Wrk::bytesPerReq).median, 0)).append(" | ");
                }
                md.append(w.how).append(" |\n");
            }
            md.append('\n');
            md.append(commandsTable(wrk));
            md.append(sentTable());
            md.append(wrkRatios(wrk));
        }
        if (!mix.isEmpty()) {
            md.append("## Write-heavy mix with a freshness check\n\n");
            method(md, methods, "mix");
            md.append("| system | rounds | req/s | p50 (ms) | p99 (ms) | read p50 (ms) | PUT p50 (ms) | reads | writes "
                    + "| checked reads | stale reads | errors | run |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (List<Mixed> g : group(mix, Mixed::system).values()) {
                Mixed m = g.get(0);
                md.append(String.format(Locale.ROOT,
                        "| %s | %d | %s | %s | %s | %s | %s | %d | %d | %d | **%d** | %d | %s |\n", m.system, g.size(),
                        stat(g, Mixed::rps).fmt(0), stat(g, Mixed::p50).fmt(2), stat(g, Mixed::p99).fmt(2),
                        stat(g, Mixed::readP50).fmt(2), stat(g, Mixed::writeP50).fmt(2),
                        g.stream().mapToLong(Mixed::reads).sum(), g.stream().mapToLong(Mixed::writes).sum(),
                        g.stream().mapToLong(Mixed::checked).sum(), g.stream().mapToLong(Mixed::stale).sum(),
                        g.stream().mapToLong(Mixed::errors).sum(), m.how));
            }
            md.append('\n');
        }
        md.append(targets(big, wrk, mix));
        if (svgPath != null) {
            md.append("![req/s, p99 and big-listing times per system and workload (medians)](")
                    .append(Path.of(svgPath).getFileName()).append(")\n\n");
        }
        if (!orders.isEmpty()) {
            md.append("## Order of the systems in each round\n\n");
            for (String o : orders) {
                md.append("- ").append(o).append('\n');
            }
            md.append('\n');
        }
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            for (String n : notes) {
                md.append("- ").append(n).append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static void method(StringBuilder md, Map<String, String> methods, String section) {
        if (methods.containsKey(section)) {
            md.append("How: ").append(methods.get(section)).append("\n\n");
        }
    }

    /** The references of the wrk ratio tables, in this order (those present in the run). */
    static final List<String> WRK_REFERENCES = List.of("baseline-tuned", "baseline-body", "nginx-body");

    /**
     * Empty when two systems sent the same bytes for a workload's request (or when the run recorded no bytes, as
     * older runs did not); otherwise why not.
     */
    static Optional<String> differs(String workload, String a, String b) {
        if (a.equals("ceiling-json") != b.equals("ceiling-json")) {
            return Optional.of("ceiling-json is a 66-byte constant");
        }
        if (SENT.isEmpty()) {
            return Optional.empty();
        }
        Sent x = SENT.get(workload + "\t" + a);
        Sent y = SENT.get(workload + "\t" + b);
        if (x == null || y == null) {
            return Optional.of("bytes not checked");
        }
        if (!x.status.equals("200") || !y.status.equals("200")) {
            return Optional.of("HTTP " + x.status + " vs " + y.status);
        }
        if (!x.encoding.equals(y.encoding)) {
            return Optional.of(x.encoding + " vs " + y.encoding);
        }
        if (!x.sha.equals(y.sha)) {
            return Optional.of(String.format(Locale.ROOT, "different bodies: %,d vs %,d bytes decoded", x.decoded,
                    y.decoded));
        }
        boolean same = x.encoding.equals("identity") ? x.wire == y.wire
                : Math.abs(x.wire - y.wire) <= 0.01 * Math.max(x.wire, y.wire);
        return same ? Optional.empty()
                : Optional.of(String.format(Locale.ROOT, "%,d vs %,d bytes on the wire", x.wire, y.wire));
    }

    /** What each system sent, once per workload, and whether it matches the references'. */
    private static String sentTable() {
        if (SENT.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("What each system sent for the request (one GET before its warm-up load; "
                + "ratios are given only between systems that send the same bytes):\n\n");
        md.append("| workload | system | status | Content-Encoding | body bytes | decoded bytes | body SHA-256 (prefix) "
                + "| header bytes | same bytes as baseline-body |\n|---|---|---|---|---:|---:|---|---:|---|\n");
        for (var e : SENT.entrySet()) {
            String[] k = e.getKey().split("\t");
            Sent x = e.getValue();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d | %,d | `%s` | %,d | %s |\n", k[0], k[1],
                    x.status, x.encoding, x.wire, x.decoded, x.sha, x.headers,
                    k[1].equals("baseline-body") ? "(reference)"
                            : differs(k[0], k[1], "baseline-body").map(w -> "**no**: " + w).orElse("yes")));
        }
        return md.append('\n').toString();
    }

    /** Redis commands per request by name, medians over the rounds (runs that recorded them). */
    private static String commandsTable(List<Wrk> wrk) {
        List<Wrk> with = wrk.stream().filter(w -> w.commands != null && !w.commands.isBlank())
                .collect(Collectors.toList());
        if (with.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("Redis commands per request, by command (median over the rounds; every "
                + "client's commands count, the idle systems' own traffic too):\n\n");
        md.append("| workload | system | commands per request |\n|---|---|---|\n");
        for (List<Wrk> g : group(with, w -> w.workload + "\t" + w.system).values()) {
            Map<String, List<Double>> byName = new LinkedHashMap<>();
            for (Wrk w : g) {
                if (w.commands.equals("-")) {
                    continue;
                }
                for (String item : w.commands.split(",")) {
                    String[] kv = item.split("=", 2);
                    byName.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(d(kv[1]));
                }
            }
            String cell = byName.isEmpty() ? "none"
                    : byName.entrySet().stream().map(e -> e.getKey() + " " + num(Stat.of(e.getValue()).median, 3))
                            .collect(Collectors.joining(", "));
            md.append("| ").append(g.get(0).workload).append(" | ").append(g.get(0).system).append(" | ").append(cell)
                    .append(" |\n");
        }
        return md.append('\n').toString();
    }

    /**
     * Per workload, every system against each reference (the tuned baseline, the stock body cache, nginx in front
     * of it): median (min–max) of the per-round ratios; refused between systems that sent different bytes.
     */
    private static String wrkRatios(List<Wrk> wrk) {
        StringBuilder md = new StringBuilder();
        Set<String> workloads = new LinkedHashSet<>();
        wrk.forEach(w -> workloads.add(w.workload));
        boolean cpu = wrk.stream().anyMatch(w -> !Double.isNaN(w.appUs));
        for (String ref : WRK_REFERENCES) {
            boolean any = false;
            for (String workload : workloads) {
                List<Wrk> base = wrkRows(wrk, workload, ref);
                if (base.isEmpty()) {
                    continue;
                }
                Set<String> systems = new LinkedHashSet<>();
                wrk.stream().filter(w -> w.workload.equals(workload)).forEach(w -> systems.add(w.system));
                for (String system : systems) {
                    if (system.equals(ref)) {
                        continue;
                    }
                    if (!any) {
                        md.append("Ratios to ").append(ref).append(" (median of the per-round ratios, min–max in "
                                + "brackets; req/s: more is better, p99").append(cpu ? " and CPU per request" : "")
                                .append(": less is better):\n\n");
                        md.append("| workload | system | req/s ÷ ").append(ref).append(" | p99 ÷ ").append(ref)
                                .append(cpu ? " | CPU µs/req (app + Redis) ÷ " + ref + " |\n|---|---|---:|---:|---:|\n"
                                        : " |\n|---|---|---:|---:|\n");
                        any = true;
                    }
                    Optional<String> why = differs(workload, system, ref);
                    if (why.isPresent()) {
                        md.append("| ").append(workload).append(" | ").append(system)
                                .append(" | not compared: ").append(why.get()).append(cpu ? " | | |\n" : " | |\n");
                        continue;
                    }
                    List<Wrk> rows = wrkRows(wrk, workload, system);
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s× | %s× |", workload, system,
                            perRound(rows, base, Wrk::round, Wrk::rps).fmt(2),
                            perRound(rows, base, Wrk::round, Wrk::p99).fmt(2)));
                    md.append(cpu ? " " + perRound(rows, base, Wrk::round, Wrk::cpuUs).fmt(2) + "× |\n" : "\n");
                }
            }
            if (any) {
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** Per call kind, every system's time against roster-cache's in the same round. */
    private static String bigRatios(List<Big> big) {
        StringBuilder md = new StringBuilder();
        boolean any = false;
        for (String call : big.stream().map(Big::call).filter(c -> !c.equals("cold")).distinct()
                .collect(Collectors.toList())) {
            List<Big> roster = bigRows(big, "roster-cache", call);
            if (roster.isEmpty()) {
                continue;
            }
            for (String system : big.stream().map(Big::system).distinct().collect(Collectors.toList())) {
                if (system.equals("roster-cache") || bigRows(big, system, call).isEmpty()) {
                    continue;
                }
                if (!any) {
                    md.append("Time of each system ÷ roster-cache's time in the same round (median of the per-round "
                            + "ratios, min–max in brackets; above 1: roster-cache was faster). Bytes on the wire are in "
                            + "the table above.\n\n");
                    md.append("| call | system | time ÷ roster-cache |\n|---|---|---:|\n");
                    any = true;
                }
                md.append(String.format(Locale.ROOT, "| %s | %s | %s× |\n", call, system,
                        perRound(bigRows(big, system, call), roster, Big::round, Big::seconds).fmt(2)));
            }
        }
        return any ? md.append('\n').toString() : "";
    }

    /** The targets, computed from this run's rows; a missing row leaves a target unmeasured. */
    private static String targets(List<Big> big, List<Wrk> wrk, List<Mixed> mix) {
        StringBuilder md = new StringBuilder("## Targets, as ratios within this run\n\n");
        md.append("Ratios between two systems are the median of the per-round ratios (min–max in brackets); "
                + "against the single cold call, the median of the warm times is used.\n\n");
        md.append("| target | measured | met? |\n|---|---|---|\n");
        List<Big> rosterWarm = bigRows(big, "roster-cache", "warm");
        List<Big> cold = bigRows(big, "roster-cache", "cold");
        if (!cold.isEmpty() && !rosterWarm.isEmpty()) {
            row(md, "big team: Roster warm ≥ 20× faster than cold",
                    Stat.of(List.of(cold.get(0).seconds / stat(rosterWarm, Big::seconds).median)), r -> r >= 20);
        } else {
            row(md, "big team: Roster warm ≥ 20× faster than cold", Stat.of(List.of()), r -> false);
        }
        row(md, "big team: Roster warm ≥ 20× faster than a miss with a warm JIT (stricter reading)",
                perRound(bigRows(big, "roster-cache", "miss"), rosterWarm, Big::round, Big::seconds), r -> r >= 20);
        for (String base : List.of("baseline-tuned", "baseline-body")) {
            row(md, "big team: Roster warm ≥ 5× faster than " + base + " warm",
                    perRound(bigRows(big, base, "warm"), rosterWarm, Big::round, Big::seconds), r -> r >= 5);
        }
        row(md, "big team: Roster warm within 2× of streaming the bytes from memory",
                perRound(rosterWarm, bigRows(big, "ceiling-stream", "warm"), Big::round, Big::seconds), r -> r <= 2);
        for (var e : group(big.stream().filter(b -> b.system.equals("roster-cache")).collect(Collectors.toList()),
                Big::call).entrySet()) {
            Stat growth = stat(e.getValue(), b -> b.heapAfterGc - b.heapStart);
            if (growth.n > 0) {
                md.append(String.format(Locale.ROOT,
                        "| big team, %s: Roster heap growth < 64 MB (max after-GC minus before; met only if every "
                                + "round is) | %s MB | %s |\n",
                        e.getKey(), growth.fmt(0), growth.max < 64 ? "yes" : "**no**"));
            }
        }
        Set<String> workloads = new LinkedHashSet<>();
        wrk.forEach(w -> workloads.add(w.workload));
        for (String workload : workloads) {
            List<Wrk> base = wrkRows(wrk, workload, "baseline-tuned");
            for (String system : List.of("roster-cache", "roster-near")) {
                List<Wrk> roster = wrkRows(wrk, workload, system);
                if (!roster.isEmpty() && !base.isEmpty() && differs(workload, system, "baseline-tuned").isPresent()) {
                    md.append("| ").append(workload).append(": ").append(system)
                            .append(" vs tuned baseline | not compared: ")
                            .append(differs(workload, system, "baseline-tuned").get()).append(" | - |\n");
                } else if (!roster.isEmpty() && !base.isEmpty()) {
                    row(md, workload + ": " + system + " req/s ≥ 1.5× tuned baseline",
                            perRound(roster, base, Wrk::round, Wrk::rps), r -> r >= 1.5);
                    row(md, workload + ": " + system + " p99 no worse than tuned baseline (p99 ratio ≤ 1)",
                            perRound(roster, base, Wrk::round, Wrk::p99), r -> r <= 1);
                }
            }
        }
        for (String workload : workloads) {
            List<Wrk> stream = wrkRows(wrk, workload, "ceiling-stream");
            for (String system : List.of("roster-near", "roster-cache")) {
                List<Wrk> roster = wrkRows(wrk, workload, system);
                Stat share = perRound(roster, stream, Wrk::round, Wrk::rps);
                if (share.n > 0 && differs(workload, system, "ceiling-stream").isPresent()) {
                    md.append("| ").append(workload).append(": ").append(system)
                            .append(" vs the same bytes from memory | not compared: ")
                            .append(differs(workload, system, "ceiling-stream").get()).append(" | - |\n");
                } else if (share.n > 0) {
                    md.append(String.format(Locale.ROOT,
                            "| %s: %s req/s as a share of the same bytes served from memory (ceiling-stream; no target) "
                                    + "| %s× | - |\n", workload, system, share.fmt(2)));
                }
            }
        }
        if (!workloads.isEmpty()) {
            String first = workloads.iterator().next();
            List<Wrk> ceiling = wrkRows(wrk, first, "ceiling-json");
            if (!ceiling.isEmpty()) {
                for (String system : List.of("roster-near", "roster-cache")) {
                    List<Wrk> small = wrkRows(wrk, first, system);
                    if (!small.isEmpty()) {
                        row(md, first + ": " + system
                                + " ≥ 50% of the constant-JSON ceiling (the target is for the near cache; not the "
                                + "same bytes: a 66-byte constant, so only the target's own yardstick)",
                                perRound(small, ceiling, Wrk::round, Wrk::rps), r -> r >= 0.5);
                    }
                }
            }
        }
        List<Mixed> mixOff = mix.stream().filter(m -> m.system.equals("roster-nocache")).collect(Collectors.toList());
        for (var e : group(mix, Mixed::system).entrySet()) {
            if (e.getKey().equals("roster-nocache")) {
                continue;
            }
            long stale = e.getValue().stream().mapToLong(Mixed::stale).sum();
            long checked = e.getValue().stream().mapToLong(Mixed::checked).sum();
            md.append(String.format(Locale.ROOT, "| mix: %s has zero stale reads | %d stale of %d checked | %s |\n",
                    e.getKey(), stale, checked, stale == 0 && checked > 0 ? "yes" : "**no**"));
            if (!mixOff.isEmpty()) {
                row(md, "mix: " + e.getKey() + " ≥ 3× the no-cache req/s",
                        perRound(e.getValue(), mixOff, Mixed::round, Mixed::rps), r -> r >= 3);
            }
        }
        return md.append('\n').toString();
    }

    private static void row(StringBuilder md, String target, Stat ratio, java.util.function.DoublePredicate ok) {
        if (ratio.n == 0) {
            md.append("| ").append(target).append(" | not measured | - |\n");
        } else {
            md.append(String.format(Locale.ROOT, "| %s | %s× | %s |\n", target, ratio.fmt(2),
                    ok.test(ratio.median) ? "yes" : "**no**"));
        }
    }

    private static Double bestWarm(List<Big> big, String system) {
        return big.stream()
                .filter(b -> b.system.equals(system) && b.call.matches("warm(-\\d+)?") && b.status.equals("200"))
                .map(b -> b.seconds).min(Double::compare).orElse(null);
    }

    // ---------------------------------------------------------------------------------------------- SVG

    private static final int WIDTH = 980;
    private static final int LABEL = 250;
    private static final int PLOT = 600;
    private static final int BAR = 14;

    /** Horizontal bars on log axes: req/s and p99 per workload and system, then the big listing's times. */
    private static String svg(Map<String, String> meta, List<Big> big, List<Wrk> wrk, List<Mixed> mix) {
        List<Panel> panels = new ArrayList<>();
        Panel rps = new Panel("Throughput, req/s (log scale; more is better)", "req/s");
        Panel p99 = new Panel("Latency p99, ms (log scale; less is better)", "ms");
        for (Wrk w : wrk) {
            rps.add(w.workload, w.system, w.rps);
            p99.add(w.workload, w.system, w.p99);
        }
        for (Mixed m : mix) {
            rps.add("write-heavy mix", m.system, m.rps);
            p99.add("write-heavy mix", m.system, m.p99);
        }
        Panel times = new Panel("Big team listing, seconds (log scale; less is better)", "s");
        for (Big b : big) {
            if (b.status.equals("200") && (b.call.equals("cold") || b.call.equals("miss"))) {
                times.add("big team, " + (b.call.equals("cold") ? "cold (first call)" : "miss (JIT warm)"), b.system,
                        b.seconds);
            }
        }
        Set<String> systems = new LinkedHashSet<>();
        big.forEach(b -> systems.add(b.system));
        for (String system : systems) {
            Double warm = bestWarm(big, system);
            if (warm != null) {
                times.add("big team, warm (median of the rounds)", system, warm);
            }
        }
        for (Big b : big) {
            if (b.status.equals("200") && b.call.equals("gzip")) {
                times.add("big team, warm, client sends Accept-Encoding: gzip (median)", b.system, b.seconds);
            }
        }
        for (Big b : big) {
            if (b.status.equals("200") && b.call.startsWith("warm-x")) {
                times.add("big team, " + b.call.substring("warm-x".length()) + " clients at once (wall clock)",
                        b.system, b.seconds);
            }
        }
        for (Panel p : List.of(rps, p99, times)) {
            if (!p.groups.isEmpty()) {
                panels.add(p);
            }
        }
        int height = 90;
        for (Panel p : panels) {
            height += p.height();
        }
        height += 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
                WIDTH, height, WIDTH, height));
        svg.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, height));
        svg.append("<text x=\"20\" y=\"28\" font-size=\"17\" font-weight=\"bold\">Roster benchmark</text>\n");
        svg.append(String.format("<text x=\"20\" y=\"48\" fill=\"#555\">%s — %s</text>\n",
                esc(meta.getOrDefault("date", "")), esc(meta.getOrDefault("mode", ""))));
        int legendX = 20;
        for (var e : COLOURS.entrySet()) {
            svg.append(String.format("<rect x=\"%d\" y=\"60\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"70\">%s</text>\n", legendX, e.getValue(), legendX + 16, e.getKey()));
            legendX += 30 + 7 * e.getKey().length();
        }
        int y = 90;
        for (Panel p : panels) {
            y = p.draw(svg, y);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** One chart: groups (workloads) of bars (systems) on one log axis. */
    static final class Panel {
        final String title;
        final String unit;
        final Map<String, Map<String, Double>> groups = new LinkedHashMap<>();

        Panel(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }

        void add(String group, String system, double value) {
            if (!Double.isNaN(value) && value > 0) {
                groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(system, value);
            }
        }

        int height() {
            int h = 50;
            for (var g : groups.values()) {
                h += 20 + g.size() * (BAR + 4);
            }
            return h + 30;
        }

        int draw(StringBuilder svg, int top) {
            double min = Double.MAX_VALUE, max = 0;
            for (var g : groups.values()) {
                for (double v : g.values()) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(max)));
            if (hi <= lo) {
                hi = lo * 10;
            }
            svg.append(String.format("<text x=\"20\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
                    top + 16, esc(title)));
            int axisTop = top + 30;
            int axisBottom = top + height() - 30;
            for (double t = lo; t <= hi * 1.0001; t *= 10) {
                double x = LABEL + PLOT * (Math.log10(t) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
                svg.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                                + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>\n",
                        x, axisTop, x, axisBottom, x, axisBottom + 15, tick(t)));
            }
            int y = axisTop + 4;
            for (var g : groups.entrySet()) {
                svg.append(String.format("<text x=\"20\" y=\"%d\" font-weight=\"bold\">%s</text>\n", y + 12,
                        esc(g.getKey())));
                y += 18;
                for (String system : order(g.getValue().keySet())) {
                    double v = g.getValue().get(system);
                    double w = PLOT * (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
                    svg.append(String.format(Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                                    + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                                    + "<text x=\"%.1f\" y=\"%d\">%s %s</text>\n",
                            LABEL - 8, y + BAR - 3, esc(system), LABEL, y, Math.max(1, w), BAR,
                            COLOURS.getOrDefault(system, "#999"), LABEL + Math.max(1, w) + 5, y + BAR - 3, value(v),
                            unit));
                    y += BAR + 4;
                }
                y += 2;
            }
            return top + height();
        }

        private static List<String> order(Set<String> systems) {
            List<String> ordered = new ArrayList<>();
            for (String s : COLOURS.keySet()) {
                if (systems.contains(s)) {
                    ordered.add(s);
                }
            }
            for (String s : systems) {
                if (!ordered.contains(s)) {
                    ordered.add(s);
                }
            }
            return ordered;
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static double d(String s) {
        try {
            return s.isBlank() || s.equals("-") ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static long l(String s) {
        try {
            return s.isBlank() || s.equals("-") ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String value(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String tick(double t) {
        if (t >= 1) {
            return String.format(Locale.ROOT, "%,.0f", t);
        }
        return new java.math.BigDecimal(t).round(new java.math.MathContext(1)).toPlainString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
