package dev.roster.cache.internal.redis;

import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.StampChanges;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@link StampChanges} from Redis's server-assisted invalidation: {@code CLIENT TRACKING ON REDIRECT <id> BCAST
 * PREFIX <prefix>:g: PREFIX <prefix>:{epoch}} on a tracker connection sends every change of a tag generation or of
 * the epoch, made by any instance, to a subscriber connection ({@code __redis__:invalidate}). When either
 * connection breaks, both are closed and the pair is made again a second later. Not supported on a Redis Cluster:
 * tracking one node would miss the others' changes.
 */
@Singleton
public class RedisTracking implements StampChanges {

    private static final Logger LOG = Logger.getLogger(RedisTracking.class);
    private static final String CHANNEL = "__redis__:invalidate";
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private final Redis redis;
    private final RedisKeys keys;
    private final boolean supported;
    private volatile boolean stopped;
    private volatile TrackingPair current;

    RedisTracking(
            Redis redis,
            RedisKeys keys,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.keys = keys;
        this.supported = !"cluster".equalsIgnoreCase(clientType);
    }

    @Override
    public boolean supported() {
        return supported;
    }

    @Override
    public String epoch() {
        return keys.epoch();
    }

    @Override
    public String generation(Tag tag) {
        return keys.generation(tag);
    }

    @Override
    public void follow(Listener listener) {
        if (supported) {
            connect(listener);
        }
    }

    /** Closes the tracking pair while the application stops (a live reload included), and stops reconnecting. */
    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        TrackingPair open = current;
        if (open != null) {
            open.close();
        }
    }

    /**
     * Opens the subscriber and tracker pair. The listener hears {@code following} once both are set up, and
     * {@code lost} if either broke meanwhile or breaks at any time later (which closes both and starts over).
     */
    private void connect(Listener listener) {
        if (stopped) {
            return;
        }
        TrackingPair pair = new TrackingPair();
        current = pair;
        redis.connect()
                .chain(subscriber -> {
                    pair.subscriber = subscriber;
                    subscriber.handler(message -> onMessage(listener, message));
                    subscriber.exceptionHandler(e -> lost(listener, pair));
                    subscriber.endHandler(() -> lost(listener, pair));
                    return subscriber
                            .send(Request.cmd(Command.CLIENT).arg("ID"))
                            .chain(id -> subscriber
                                    .send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL))
                                    .replaceWith(id.toLong()));
                })
                .chain(id -> track(listener, pair, id))
                .subscribe()
                .with(
                        ok -> {
                            // Said first, checked after: a break from now on is heard as lost after it.
                            listener.following();
                            if (!pair.open()) {
                                listener.lost();
                            }
                        },
                        e -> {
                            LOG.warnf(
                                    "Redis tracking unavailable (%s); retrying",
                                    e.getClass().getSimpleName());
                            lost(listener, pair);
                        });
    }

    private Uni<Response> track(Listener listener, TrackingPair pair, long subscriberId) {
        return redis.connect().chain(tracker -> {
            pair.tracker = tracker;
            tracker.exceptionHandler(e -> lost(listener, pair));
            tracker.endHandler(() -> lost(listener, pair));
            if (!pair.open()) {
                return Uni.createFrom().failure(new IllegalStateException("subscriber connection lost"));
            }
            return tracker.send(Request.cmd(Command.CLIENT)
                    .arg("TRACKING")
                    .arg("ON")
                    .arg("REDIRECT")
                    .arg(subscriberId)
                    .arg("BCAST")
                    .arg("PREFIX")
                    .arg(keys.generationPrefix())
                    .arg("PREFIX")
                    .arg(keys.epoch()));
        });
    }

    /**
     * An invalidation: {@code [invalidate, keys]} as a RESP3 push, or {@code [message, __redis__:invalidate,
     * keys]} as a RESP2 pub/sub message; {@code keys} is null when Redis was flushed.
     */
    private static void onMessage(Listener listener, Response message) {
        String kind =
                message.size() > 0 && message.get(0) != null ? message.get(0).toString() : "";
        int keysAt = "invalidate".equals(kind) ? 1 : "message".equals(kind) ? 2 : -1;
        if (keysAt < 0 || message.size() <= keysAt) {
            return;
        }
        Response changed = message.get(keysAt);
        if (changed == null) {
            listener.everything();
            return;
        }
        for (Response key : changed) {
            listener.changed(key.toString());
        }
    }

    /** One of the pair broke (or setting it up failed): both closed, the listener told, one reconnect. */
    private void lost(Listener listener, TrackingPair pair) {
        if (!pair.close()) {
            return;
        }
        listener.lost();
        Uni.createFrom().voidItem().onItem().delayIt().by(RECONNECT).subscribe().with(ignored -> connect(listener));
    }
}
