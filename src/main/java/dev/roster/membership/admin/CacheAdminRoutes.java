package dev.roster.membership.admin;

import dev.roster.cache.CacheInspector;
import dev.roster.cache.Tag;
import dev.roster.membership.service.MemberQueries;
import dev.roster.web.RouteAnswers;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Cache debugging on the management interface (port 9000):
 *
 * <ul>
 *   <li>{@code GET /q/roster/cache/explain?path=/teams/ALPHA/members%3Flimit%3D10}: key, key hash, tags and
 *       their generations, TTL left, size and chunks, load time of the entry that request path uses;
 *   <li>{@code POST /q/roster/cache/evict?path=…}: deletes that entry;
 *   <li>{@code POST /q/roster/cache/evict-tag?kind=team&value=ALPHA}: evicts one tag.
 * </ul>
 *
 * In prod every route here needs a bearer token with group roster-writer, like the write routes: the
 * management permission on {@code /q/roster/*} applies {@link dev.roster.security.WriterPolicy} before these
 * handlers run, so a route added under that base is covered too.
 */
@ApplicationScoped
public class CacheAdminRoutes {

    private static final String BASE = "/q/roster/cache";

    private final CacheInspector inspector;
    private final RouteAnswers answers;
    private final Method member;
    private final Method listing;
    private final Method page;
    private final Method teams;

    public CacheAdminRoutes(CacheInspector inspector, RouteAnswers answers) throws NoSuchMethodException {
        this.inspector = inspector;
        this.answers = answers;
        this.member = MemberQueries.class.getMethod("member", String.class);
        this.listing = MemberQueries.class.getMethod("listing", String.class, String.class);
        this.page = MemberQueries.class.getMethod("page", String.class, int.class, String.class);
        this.teams = MemberQueries.class.getMethod("teams");
    }

    void register(@Observes ManagementInterface management) {
        management
                .router()
                .get(BASE + "/explain")
                .handler(c -> call(
                        c,
                        target -> inspector
                                .explain(target.method(), target.args())
                                .map(Object.class::cast)));
        management
                .router()
                .post(BASE + "/evict")
                .handler(c -> call(
                        c,
                        target -> inspector
                                .evict(target.method(), target.args())
                                .map(evicted -> Map.of("evicted", evicted))));
        management.router().post(BASE + "/evict-tag").handler(this::evictTag);
    }

    /** A cached call: the query method and its arguments. */
    private record Target(Method method, Object[] args) {}

    private void call(RoutingContext context, java.util.function.Function<Target, Uni<Object>> action) {
        Target target = target(context.request().getParam("path"));
        if (target == null) {
            answers.problem(
                    context,
                    400,
                    "Bad Request",
                    "a request path of the API is required, e.g. path=/teams/ALPHA/members");
            return;
        }
        action.apply(target)
                .subscribe()
                .with(
                        body -> answers.json(context, 200, body),
                        e -> answers.problem(context, 503, "Service Unavailable", "Redis is unreachable"));
    }

    private void evictTag(RoutingContext context) {
        String kind = context.request().getParam("kind");
        String value = context.request().getParam("value");
        Tag tag = tag(kind, value);
        if (tag == null) {
            answers.problem(
                    context,
                    400,
                    "Bad Request",
                    "kind is required (team, teams or member), and value for team and member (none for teams)");
            return;
        }
        inspector
                .evictTag(tag)
                .subscribe()
                .with(
                        v -> answers.json(context, 200, Map.of("bumped", tag.toString())),
                        e -> answers.problem(context, 503, "Service Unavailable", "Redis is unreachable"));
    }

    /** One of the tags the API's writes evict, or null: a tag no entry depends on would evict nothing. */
    private static Tag tag(String kind, String value) {
        boolean hasValue = value != null && !value.isBlank();
        if ("teams".equals(kind) && !hasValue) {
            return Tag.of(kind);
        }
        if (("team".equals(kind) || "member".equals(kind)) && hasValue) {
            return Tag.of(kind, value);
        }
        return null;
    }

    /** Maps a request path of the API to the cached call that serves it; null when it names none. */
    private Target target(String path) {
        if (path == null) {
            return null;
        }
        try {
            return parse(path);
        } catch (IllegalArgumentException malformed) {
            // A malformed escape or a limit that is not a number: no cached call.
            return null;
        }
    }

    private Target parse(String path) {
        URI uri = URI.create(path.replace(" ", "%20"));
        String[] segments = uri.getRawPath().split("/", -1);
        Map<String, String> query = query(uri.getRawQuery());
        if (segments.length == 2 && segments[1].equals("teams")) {
            return new Target(teams, new Object[0]);
        }
        if (segments.length == 3 && segments[1].equals("members")) {
            return new Target(member, new Object[] {decode(segments[2])});
        }
        if (segments.length == 4 && segments[1].equals("teams") && segments[3].equals("members")) {
            String team = decode(segments[2]);
            String after = query.get("after");
            String limit = query.get("limit");
            return limit == null
                    ? new Target(listing, new Object[] {team, after})
                    : new Target(page, new Object[] {team, Integer.parseInt(limit), after});
        }
        return null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return values;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
