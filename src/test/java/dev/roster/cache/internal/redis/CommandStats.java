package dev.roster.cache.internal.redis;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Redis's own count of the calls of one command ({@code INFO commandstats}). */
final class CommandStats {

    private CommandStats() {}

    static long calls(Redis redis, String command) {
        String stats = redis.send(Request.cmd(Command.INFO).arg("commandstats"))
                .await()
                .atMost(Duration.ofSeconds(5))
                .toString();
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
