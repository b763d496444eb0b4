package dev.roster.health;

import io.netty.util.concurrent.EventExecutor;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness reflects this process only: every Vert.x event loop runs a no-op task within
 * {@link HealthConfig#eventLoopTimeout()}. MongoDB and Redis are left out on purpose: restarting a pod cures
 * neither, and a shared outage would restart every pod at once. Nothing here blocks; it costs one task per loop.
 */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements AsyncHealthCheck {

    static final String NAME = "event-loops";

    private final Vertx vertx;
    private final HealthConfig config;

    public EventLoopLiveness(Vertx vertx, HealthConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Uni<Long>> loops = new ArrayList<>();
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            loops.add(answerOf(loop));
        }
        return Uni.join()
                .all(loops)
                .andFailFast()
                .map(delays -> HealthCheckResponse.named(NAME)
                        .up()
                        .withData("loops", delays.size())
                        .withData(
                                "slowest-ms",
                                delays.stream().mapToLong(Long::longValue).max().orElse(0))
                        .build())
                .onFailure()
                .recoverWithItem(e -> HealthCheckResponse.named(NAME)
                        .down()
                        .withData("loops", loops.size())
                        .withData("stalled", "an event loop ran nothing for " + config.eventLoopTimeout())
                        .build());
    }

    /** Milliseconds until {@code loop} ran a no-op task; fails after the timeout. */
    private Uni<Long> answerOf(EventExecutor loop) {
        long sent = System.nanoTime();
        return Uni.createFrom()
                .<Long>emitter(
                        e -> loop.execute(() -> e.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent))))
                .ifNoItem()
                .after(config.eventLoopTimeout())
                .fail();
    }
}
