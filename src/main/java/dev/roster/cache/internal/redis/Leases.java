package dev.roster.cache.internal.redis;

import dev.roster.cache.RosterCacheConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * The commands of per-key leases that let exactly one instance of the fleet compute a cold key: {@code SET NX
 * PX} with an owner token, released by compare-and-delete so that a holder never deletes a lease it no longer
 * owns. A holder that dies blocks nobody longer than the lease's TTL.
 */
@Singleton
public class Leases {

    private final RedisKeys keys;
    private final RedisStore redis;
    private final long ttlMillis;

    Leases(RedisKeys keys, RedisStore redis, RosterCacheConfig config) {
        this.keys = keys;
        this.redis = redis;
        this.ttlMillis = config.leaseTtl().toMillis();
    }

    static String newToken() {
        return UUID.randomUUID().toString();
    }

    /** {@code SET NX PX} of the lease with this owner token: answers OK when taken, nil when someone holds it. */
    Request take(String id, String token) {
        return Request.cmd(Command.SET)
                .arg(keys.lease(id))
                .arg(token)
                .arg("NX")
                .arg("PX")
                .arg(ttlMillis);
    }

    /** Deletes the lease if this token still owns it. */
    Request releaseRequest(String id, String token) {
        return redis.script(Script.DELETE_IF_SAME, keys.lease(id), token);
    }

    Request exists(String id) {
        return Request.cmd(Command.EXISTS).arg(keys.lease(id));
    }
}
