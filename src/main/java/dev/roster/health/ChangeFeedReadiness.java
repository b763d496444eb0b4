package dev.roster.health;

import dev.roster.membership.changes.MemberChangeFeed;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The change feed's state for readiness, always UP (like MongoDB's): an instance that does not follow the change
 * stream still serves correctly what its own writes evict; the state says whether changes made elsewhere reach the
 * cache ({@code following}), or not ({@code unsupported}: a standalone MongoDB; {@code failing}: retrying;
 * {@code off}: turned off). The same state is the gauge {@code roster_changes_following}.
 */
@Readiness
@ApplicationScoped
public class ChangeFeedReadiness implements AsyncHealthCheck {

    private final MemberChangeFeed feed;

    public ChangeFeedReadiness(MemberChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .item(HealthCheckResponse.named("change-feed")
                        .up()
                        .withData("state", feed.state().name().toLowerCase())
                        .build());
    }
}
