package dev.roster.support;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Vert.x routes the application registered, as {@code "METHOD /path"}: the write routes of the main router
 * and every route of Roster's own part of the management router. Lets a test prove it covers all of them.
 */
@ApplicationScoped
public class RouteCatalog {

    private static final Set<HttpMethod> WRITES =
            Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final String ADMIN_BASE = "/q/roster/";

    private volatile Router main;
    private volatile Router management;

    void onMain(@Observes Router router) {
        this.main = router;
    }

    void onManagement(@Observes ManagementInterface managementInterface) {
        this.management = managementInterface.router();
    }

    /** Main-router routes that accept a write method (JAX-RS resources are not Vert.x routes of their own). */
    public Set<String> vertxWrites() {
        Set<String> out = new TreeSet<>();
        for (Route route : main.getRoutes()) {
            if (route.getPath() != null && route.methods() != null) {
                route.methods().stream()
                        .filter(WRITES::contains)
                        .forEach(m -> out.add(m.name() + " " + route.getPath()));
            }
        }
        return out;
    }

    /** Management-router routes under {@code /q/roster/}, with each of their methods. */
    public Set<String> adminRoutes() {
        Set<String> out = new TreeSet<>();
        for (Route route : management.getRoutes()) {
            if (route.getPath() != null && route.getPath().startsWith(ADMIN_BASE) && route.methods() != null) {
                route.methods().forEach(m -> out.add(m.name() + " " + route.getPath()));
            }
        }
        return out;
    }
}
