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
import java.util.Set;

/**
 * Turns the raw rows that {@code bench/run.sh} collects (a TSV) into the Markdown results and the SVG chart.
 *
 * <pre>java bench/tools/Report.java results.tsv out.md out.svg</pre>
 *
 * Row kinds (tab-separated, first field is the kind):
 * <pre>
 * meta    key value
 * note    text
 * method  section(big|wrk|mix) text
 * big   system call seconds ttfb_s bytes status heap_start_mb heap_peak_mb heap_after_gc_max_mb how
 * wrk   workload system rps p50_ms p99_ms errors redis_cmds_per_req how
 * mix   system rps p50_ms p99_ms read_p50_ms write_p50_ms reads writes checked stale errors how
 * </pre>
 */
public class Report {

    /** Colours per system, in legend order. */
    private static final Map<String, String> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("roster-cache", "#1b7837");
        COLOURS.put("roster-near", "#5aae61");
        COLOURS.put("roster-nocache", "#a6dba0");
        COLOURS.put("baseline-tuned", "#2166ac");
        COLOURS.put("baseline-default", "#92c5de");
        COLOURS.put("ceiling-json", "#b2182b");
        COLOURS.put("ceiling-stream", "#f4a582");
    }

    record Big(String system, String call, double seconds, double ttfb, long bytes, String status, double heapStart,
            double heapPeak, double heapAfterGc, String how) {}

    record Wrk(String workload, String system, double rps, double p50, double p99, long errors, double cmdsPerReq,
            String how) {}

    record Mixed(String system, double rps, double p50, double p99, double readP50, double writeP50, long reads,
            long writes, long checked, long stale, long errors, String how) {}

    public static void main(String[] args) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> methods = new LinkedHashMap<>();
        List<Big> big = new ArrayList<>();
        List<Wrk> wrk = new ArrayList<>();
        List<Mixed> mix = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "meta" -> meta.put(f[1], f[2]);
                case "note" -> notes.add(f[1]);
                case "method" -> methods.put(f[1], f[2]);
                case "big" -> big.add(new Big(f[1], f[2], d(f[3]), d(f[4]), l(f[5]), f[6], d(f[7]), d(f[8]), d(f[9]),
                        f[10]));
                case "wrk" -> wrk.add(new Wrk(f[1], f[2], d(f[3]), d(f[4]), d(f[5]), l(f[6]), d(f[7]), f[8]));
                case "mix" -> mix.add(new Mixed(f[1], d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), l(f[7]), l(f[8]),
                        l(f[9]), l(f[10]), l(f[11]), f[12]));
                default -> throw new IllegalArgumentException("unknown row kind: " + f[0]);
            }
        }
        Files.writeString(Path.of(args[1]), markdown(meta, notes, methods, big, wrk, mix, args.length > 2 ? args[2] : null));
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), svg(meta, big, wrk, mix));
        }
    }

    // ---------------------------------------------------------------------------------------------- Markdown

    private static String markdown(Map<String, String> meta, List<String> notes, Map<String, String> methods,
            List<Big> big, List<Wrk> wrk, List<Mixed> mix, String svgPath) {
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
                + "across runs or machines.\n\n");

        if (!big.isEmpty()) {
            md.append("## The big team: full listings, cold, warm and concurrent\n\n");
            method(md, methods, "big");
            md.append("| system | call | time (s) | first byte (s) | bytes | HTTP | heap before → peak (MB) "
                    + "| max heap after a GC (MB) | what the call was |\n");
            md.append("|---|---|---:|---:|---:|---|---:|---:|---|\n");
            for (Big b : big) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %,d | %s | %s → %s | %s | %s |\n",
                        b.system, b.call, num(b.seconds, 3), num(b.ttfb, 3), b.bytes, b.status, num(b.heapStart, 0),
                        num(b.heapPeak, 0), num(b.heapAfterGc, 0), b.how));
            }
            md.append('\n');
        }
        if (!wrk.isEmpty()) {
            md.append("## Small and medium teams under load (wrk)\n\n");
            method(md, methods, "wrk");
            md.append("| workload | system | req/s | p50 (ms) | p99 (ms) | errors | Redis cmds/req | what was requested |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---|\n");
            for (Wrk w : wrk) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %s | %s |\n", w.workload,
                        w.system, num(w.rps, 0), num(w.p50, 2), num(w.p99, 2), w.errors, num(w.cmdsPerReq, 2), w.how));
            }
            md.append('\n');
        }
        if (!mix.isEmpty()) {
            md.append("## Write-heavy mix with a freshness check\n\n");
            method(md, methods, "mix");
            md.append("| system | req/s | p50 (ms) | p99 (ms) | read p50 (ms) | PUT p50 (ms) | reads | writes "
                    + "| checked reads | stale reads | errors | run |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Mixed m : mix) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %d | %d | **%d** | %d | %s |\n",
                        m.system, num(m.rps, 0), num(m.p50, 2), num(m.p99, 2), num(m.readP50, 2), num(m.writeP50, 2),
                        m.reads, m.writes, m.checked, m.stale, m.errors, m.how));
            }
            md.append('\n');
        }
        md.append(targets(big, wrk, mix));
        if (svgPath != null) {
            md.append("![req/s, p99 and big-listing times per system and workload](")
                    .append(Path.of(svgPath).getFileName()).append(")\n\n");
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

    /** The targets of issue #6, computed from this run's rows; a missing row leaves a target unmeasured. */
    private static String targets(List<Big> big, List<Wrk> wrk, List<Mixed> mix) {
        StringBuilder md = new StringBuilder("## Targets (issue #6), as ratios within this run\n\n");
        md.append("| target | measured | met? |\n|---|---|---|\n");
        Double rosterCold = bigTime(big, "roster-cache", "cold");
        Double rosterWarm = bestWarm(big, "roster-cache");
        Double baseWarm = bestWarm(big, "baseline-tuned");
        Double streamWarm = bestWarm(big, "ceiling-stream");
        row(md, "big team: Roster warm ≥ 20× faster than cold", ratio(rosterCold, rosterWarm), r -> r >= 20);
        row(md, "big team: Roster warm ≥ 20× faster than a miss with a warm JIT (stricter reading)",
                ratio(bigTime(big, "roster-cache", "miss"), rosterWarm), r -> r >= 20);
        row(md, "big team: Roster warm ≥ 5× faster than tuned baseline warm", ratio(baseWarm, rosterWarm),
                r -> r >= 5);
        row(md, "big team: Roster warm within 2× of streaming the bytes from memory", ratio(rosterWarm, streamWarm),
                r -> r <= 2);
        for (Big b : big) {
            if (b.system.equals("roster-cache") && !Double.isNaN(b.heapAfterGc) && !Double.isNaN(b.heapStart)) {
                double growth = b.heapAfterGc - b.heapStart;
                md.append(String.format(Locale.ROOT,
                        "| big team, %s: Roster heap growth < 64 MB (max after-GC minus before) | %.0f MB | %s |\n",
                        b.call, growth, growth < 64 ? "yes" : "**no**"));
            }
        }
        Set<String> workloads = new LinkedHashSet<>();
        wrk.forEach(w -> workloads.add(w.workload));
        for (String workload : workloads) {
            Wrk base = wrk(wrk, workload, "baseline-tuned");
            for (String system : List.of("roster-cache", "roster-near")) {
                Wrk roster = wrk(wrk, workload, system);
                if (roster != null && base != null) {
                    row(md, workload + ": " + system + " req/s ≥ 1.5× tuned baseline", ratio(roster.rps, base.rps),
                            r -> r >= 1.5);
                    md.append(String.format(Locale.ROOT,
                            "| %s: %s p99 no worse than tuned baseline | %s ms vs %s ms | %s |\n", workload, system,
                            num(roster.p99, 2), num(base.p99, 2), roster.p99 <= base.p99 ? "yes" : "**no**"));
                }
            }
        }
        for (String workload : workloads) {
            Wrk stream = wrk(wrk, workload, "ceiling-stream");
            for (String system : List.of("roster-near", "roster-cache")) {
                Wrk roster = wrk(wrk, workload, system);
                if (roster != null && stream != null && roster.rps > 0 && stream.rps > 0) {
                    md.append(String.format(Locale.ROOT,
                            "| %s: %s req/s as a share of the same bytes served from memory (ceiling-stream; no target) "
                                    + "| %.0f%% | - |\n",
                            workload, system, 100 * roster.rps / stream.rps));
                }
            }
        }
        Wrk ceiling = wrk.stream().filter(w -> w.system.equals("ceiling-json")).findFirst().orElse(null);
        if (ceiling != null && !workloads.isEmpty()) {
            String first = workloads.iterator().next();
            for (String system : List.of("roster-near", "roster-cache")) {
                Wrk small = wrk(wrk, first, system);
                if (small != null) {
                    row(md, first + ": " + system + " ≥ 50% of the constant-JSON ceiling (the target is for the near cache)",
                            ratio(small.rps, ceiling.rps), r -> r >= 0.5);
                }
            }
        }
        Mixed mixOff = mix.stream().filter(m -> m.system.equals("roster-nocache")).findFirst().orElse(null);
        for (Mixed m : mix) {
            if (m.system.equals("roster-nocache")) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| mix: %s has zero stale reads | %d stale of %d checked | %s |\n",
                    m.system, m.stale, m.checked, m.stale == 0 && m.checked > 0 ? "yes" : "**no**"));
            if (mixOff != null) {
                row(md, "mix: " + m.system + " ≥ 3× the no-cache req/s", ratio(m.rps, mixOff.rps), r -> r >= 3);
            }
        }
        return md.append('\n').toString();
    }

    private static void row(StringBuilder md, String target, Double ratio, java.util.function.DoublePredicate ok) {
        if (ratio == null || ratio.isNaN() || ratio.isInfinite()) {
            md.append("| ").append(target).append(" | not measured | - |\n");
        } else {
            md.append(String.format(Locale.ROOT, "| %s | %.2f× | %s |\n", target, ratio,
                    ok.test(ratio) ? "yes" : "**no**"));
        }
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    private static Double bigTime(List<Big> big, String system, String call) {
        return big.stream().filter(b -> b.system.equals(system) && b.call.equals(call) && b.status.equals("200"))
                .map(b -> b.seconds).findFirst().orElse(null);
    }

    private static Double bestWarm(List<Big> big, String system) {
        return big.stream()
                .filter(b -> b.system.equals(system) && b.call.matches("warm-\\d+") && b.status.equals("200"))
                .map(b -> b.seconds).min(Double::compare).orElse(null);
    }

    private static Wrk wrk(List<Wrk> wrk, String workload, String system) {
        return wrk.stream().filter(w -> w.workload.equals(workload) && w.system.equals(system)).findFirst()
                .orElse(null);
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
                times.add("big team, warm (best single call)", system, warm);
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
