package dev.roster.observe;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it sent a usable one, else a new random one. The
 * id is put in the MDC ({@code requestId}), so every log line written while the request is served carries it,
 * and echoed in the response's {@code X-Request-Id}.
 *
 * <p>Quarkus serves each request on its own Vert.x duplicated context and keeps the MDC there, not in a thread
 * local: the entry follows the request across event-loop hops (MongoDB and Redis replies) and never leaks into
 * another request served by the same thread.
 */
@Singleton
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    /** Before every other route (the body limits run at -200), so that their answers carry the id too. */
    private static final int FIRST = -300;

    /** What a client may send: short, and nothing that could forge a log line or a header. */
    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void register(@Observes Router router) {
        router.route().order(FIRST).handler(this::tag);
    }

    private void tag(RoutingContext context) {
        String sent = context.request().getHeader(HEADER);
        String id = sent != null && USABLE.matcher(sent).matches() ? sent : generated();
        MDC.put(MDC_KEY, id);
        context.response().putHeader(HEADER, id);
        context.next();
    }

    /** 128 random bits in UUID form; ThreadLocalRandom, as SecureRandom would serialize the event loops. */
    private static String generated() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
