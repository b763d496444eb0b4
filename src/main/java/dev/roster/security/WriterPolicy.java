package dev.roster.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one decision behind every write route and every cache admin route: the caller must carry a valid bearer
 * token with group {@code roster-writer}. It is the named HTTP security policy {@value #NAME}, which the
 * permissions in application.properties apply in every profile but dev, test and embedded (opted out by name),
 * before any route runs, on the main router (every POST, PUT, PATCH and DELETE, whatever its path) and on the
 * management router (everything under {@code /q/roster/}). Refusals become problem+json in {@link dev.roster.security.SecurityProblems}.
 */
@ApplicationScoped
public class WriterPolicy implements HttpSecurityPolicy {

    /** The policy name the permissions refer to. */
    public static final String NAME = "roster-writer";

    /** The group (JWT {@code groups} claim, a role in Quarkus) a writer carries. */
    public static final String ROLE = "roster-writer";

    @Override
    public Uni<CheckResult> checkPermission(
            RoutingContext request, Uni<SecurityIdentity> identity, AuthorizationRequestContext context) {
        return identity.onItem().transformToUni(caller -> {
            if (caller.isAnonymous()) {
                // Failing (rather than denying) skips Quarkus's bare challenge, so the 401 gets a problem body.
                return Uni.createFrom().failure(new UnauthorizedException());
            }
            return caller.hasRole(ROLE) ? CheckResult.permit() : CheckResult.deny();
        });
    }

    @Override
    public String name() {
        return NAME;
    }
}
