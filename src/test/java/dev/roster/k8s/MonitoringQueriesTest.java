package dev.roster.k8s;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.roster.cache.internal.metrics.CacheMetrics;
import dev.roster.support.Api;
import dev.roster.support.Unique;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the dashboard shipped in {@code k8s/} query metrics this application exports: every metric name in
 * the PrometheusRule's expressions is on the running application's {@code /q/metrics} (its counters registered at
 * start, at 0), and so is every name in the Grafana dashboard's queries, except the cache's counters of events this
 * test does not cause (an audit, a lease wait), which are taken from {@link CacheMetrics} itself.
 */
@QuarkusTest
class MonitoringQueriesTest {

    private static final Path RULE = Path.of("k8s/components/monitoring/prometheusrule.yaml");
    private static final Path DASHBOARD = Path.of("k8s/grafana/roster-dashboard.json");

    /** An identifier of PromQL that is not a metric name. */
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan");

    private static final Pattern NAME = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern APPLIED = Pattern.compile("(?m)^roster_changes_total\\{resolution=\"(?!everything\")");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void shouldAlertOnlyOnMetricsTheApplicationExports() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : new ObjectMapper(new YAMLFactory())
                .readTree(RULE.toFile())
                .path("spec")
                .path("groups")) {
            group.path("rules")
                    .forEach(rule -> expressions.add(rule.path("expr").asText()));
        }
        assertFalse(expressions.isEmpty(), "no rule read from " + RULE);

        Set<String> missing = missing(namesIn(expressions), exported());
        assertEquals(Set.of(), missing, "metrics the PrometheusRule names but /q/metrics does not export");
    }

    @Test
    void shouldAlertOnCacheCountersUnderTheNamesTheCacheIncrements() throws IOException {
        List<String> expressions = new ArrayList<>();
        new ObjectMapper(new YAMLFactory())
                .readTree(RULE.toFile())
                .findValues("expr")
                .forEach(e -> expressions.add(e.asText()));
        Set<String> cacheCounters = namesIn(expressions).stream()
                .filter(name -> name.startsWith("roster_cache_") && name.endsWith("_total"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(cacheCounters.isEmpty());
        assertEquals(Set.of(), missing(cacheCounters, cacheEventNames()), "registered at start but never counted");
    }

    @Test
    void shouldChartOnlyMetricsTheApplicationExports() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            if (variable.path("type").asText().equals("query")) {
                expressions.add(
                        query.isTextual() ? query.asText() : query.path("query").asText());
            }
        }
        assertFalse(expressions.isEmpty(), "no query read from " + DASHBOARD);

        Set<String> known = exported();
        known.addAll(cacheEventNames());
        assertEquals(
                Set.of(), missing(namesIn(expressions), known), "metrics the dashboard charts but nothing exports");
    }

    @Test
    void shouldFindMetricNamesInPromQl() {
        assertEquals(
                Set.of("a_total", "b_seconds_bucket", "c", "d_total", "e"),
                namesIn(List.of(
                        "sum by (pod, le) (rate(a_total{x=\"y\", z=~\"$v\"}[5m])) > 0.1 * "
                                + "histogram_quantile(0.9, sum without (le) (rate(b_seconds_bucket[$__rate_interval])))"
                                + " unless on (pod) c == 1 and ignoring(x) group_left() 1e6",
                        "sum(rate(d_total[1m])) by (x) * on (y) group_left e",
                        "label_values(c{namespace=~\"$namespace\"}, pod)")));
    }

    /** Sample names on {@code /q/metrics} once a write, a miss, a hit and the change feed have run. */
    private Set<String> exported() {
        String team = Unique.name("monitoring");
        Api.create(team + "-a", team).then().statusCode(201);
        Api.listing(team).then().statusCode(200);
        Api.listing(team).then().statusCode(200);
        // The change feed counts the write once it has applied it; resolution="everything" exists from the start.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> APPLIED.matcher(scrape()).find());
        return samplesOf(scrape());
    }

    private String scrape() {
        return given().get(management + "metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }

    /** The names of the cache's meters once every event it counts has happened, as Prometheus exports them. */
    private static Set<String> cacheEventNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CacheMetrics metrics = new CacheMetrics(registry);
        String cache = "any";
        metrics.hit(cache);
        metrics.miss(cache);
        metrics.put(cache);
        metrics.bypass(cache);
        metrics.fallback(cache);
        metrics.stale(cache);
        metrics.coalesced(cache);
        metrics.leaseWait(cache);
        metrics.leaseTimeout(cache);
        metrics.leaseLateHit(cache);
        metrics.leaseServed(cache);
        metrics.earlyRefresh(cache);
        metrics.audit(cache, false);
        metrics.error(cache, "lookup");
        metrics.load(cache, 1);
        metrics.loadFailed(cache, 1);
        metrics.evictions(1);
        metrics.epochBumps();
        return samplesOf(registry.scrape());
    }

    private static Set<String> samplesOf(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(line -> !line.startsWith("#")).forEach(line -> {
            Matcher m = SAMPLE.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        });
        return names;
    }

    /** Metric names in PromQL expressions (Grafana's variables allowed): identifiers that are not functions, labels or keywords. */
    static Set<String> namesIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions) {
            String s = expr.replaceAll("label_values\\(([^,]+),\\s*\\w+\\)", "$1")
                    .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                    .replaceAll("\\{[^}]*}", "")
                    .replaceAll("\\[[^]]*]", "")
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
            Matcher m = NAME.matcher(s);
            while (m.find()) {
                if (m.group(2) == null && !KEYWORDS.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static Set<String> missing(Set<String> wanted, Set<String> available) {
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(available);
        return missing;
    }
}
