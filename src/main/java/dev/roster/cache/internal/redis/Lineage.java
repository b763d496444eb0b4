package dev.roster.cache.internal.redis;

import dev.roster.cache.internal.entry.Stamp;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import org.jboss.logging.Logger;

/**
 * Tells whether a Redis is the one whose acknowledgements the fleet trusted. A Redis restarted from an older
 * snapshot (no AOF), or a replica promoted while it lagged, holds generations from before writes that were
 * answered: their entries would be served again. Every such event starts a new {@code redis-server} process,
 * with a new run id, and drops every connection to the old one.
 *
 * <p>So each new connection, before it carries anything, runs one script on the node that holds the epoch:
 * when the run id recorded next to the epoch is not this server's, the epoch is replaced with a fresh random
 * value (every entry of every instance is then ignored) and the run id recorded. The first instance to
 * reconnect does it; the others find the run id recorded and go on.
 */
final class Lineage {

    private static final Logger LOG = Logger.getLogger(Lineage.class);

    static final String SCRIPT = "local id = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)') "
            + "if redis.call('GET', KEYS[2]) ~= id then "
            + "redis.call('SET', KEYS[1], ARGV[1]) redis.call('SET', KEYS[2], id) return 1 end return 0";

    private final RedisKeys keys;

    Lineage(RedisKeys keys) {
        this.keys = keys;
    }

    /** Completes once the epoch belongs to the Redis this connection reached; fails like any command. */
    Uni<Void> check(RedisConnection connection) {
        return connection
                .send(Request.cmd(Command.EVAL)
                        .arg(SCRIPT)
                        .arg(2)
                        .arg(keys.epoch())
                        .arg(keys.lineage())
                        .arg(Stamp.fresh()))
                .invoke(r -> {
                    if (r != null && r.toLong() == 1) {
                        LOG.info("Cache epoch replaced: this Redis server is not the one it was recorded on"
                                + " (first use, a restart or a failover); earlier entries are ignored");
                    }
                })
                .replaceWithVoid();
    }
}
