package dev.roster.cache.internal.redis;

import dev.roster.support.RedisNodes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Redis's own count of the calls of one command ({@code INFO commandstats}), summed over a cluster's primaries. */
final class CommandStats {

    private CommandStats() {}

    static long calls(String command) {
        long calls = 0;
        for (RedisNodes.Node node : RedisNodes.fromConfig().primaries()) {
            String stats = (String) RedisNodes.call(node, "INFO", "commandstats");
            Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
            calls += m.find() ? Long.parseLong(m.group(1)) : 0;
        }
        return calls;
    }
}
