package dev.roster.cache.internal;

import dev.roster.cache.CachedResult;
import dev.roster.cache.InvalidatesTags;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A test bean that uses the cache annotations on plain data, so that loads can be counted and held open. */
@ApplicationScoped
public class CacheProbe {

    /** A record used as a key and as a cached value. */
    public record Sample(String label, int size, List<String> items) {}

    final Map<String, String> source = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
    volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    final Map<String, Boolean> failing = new ConcurrentHashMap<>();

    public void put(String id, String value) {
        source.put(id, value);
    }

    public void failing(String id, boolean fail) {
        failing.put(id, fail);
    }

    public void gate(CompletableFuture<Void> next) {
        gate = next;
    }

    /**
     * Starts {@code callers} concurrent reads of {@code id} while the computation is held open, releases it
     * once the (single) computation has started, and returns what every caller got.
     */
    public List<String> readTogether(String id, int callers, java.time.Duration wait) throws Exception {
        CompletableFuture<Void> held = new CompletableFuture<>();
        gate(held);
        int before = loadsOf("read");
        List<CompletableFuture<String>> reads = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
            reads.add(read(id).subscribeAsCompletionStage().toCompletableFuture());
        }
        org.awaitility.Awaitility.await().atMost(wait).until(() -> loadsOf("read") > before);
        gate(CompletableFuture.completedFuture(null));
        held.complete(null);
        List<String> values = new java.util.ArrayList<>();
        for (var r : reads) {
            values.add(r.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        return values;
    }

    public int loadsOf(String method) {
        return loads.computeIfAbsent(method, k -> new AtomicInteger()).get();
    }

    private void count(String method) {
        loads.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Reads the source when called, then waits for {@link #gate} before answering. */
    @CachedResult(cache = "probe", tags = "thing:{id}", ttl = "30s")
    public Uni<String> read(String id) {
        count("read");
        boolean fail = Boolean.TRUE.equals(failing.get(id));
        String value = source.get(id);
        CompletableFuture<Void> wait = gate;
        return Uni.createFrom().completionStage(wait).map(ignored -> {
            if (fail) {
                throw new IllegalStateException("source down");
            }
            return value;
        });
    }

    @InvalidatesTags("thing:{id}")
    public Uni<Void> write(String id, String value) {
        source.put(id, value);
        return Uni.createFrom().voidItem();
    }

    @CachedResult(cache = "probe-pair", ttl = "30s")
    public Uni<String> pair(String a, String b) {
        count("pair");
        return Uni.createFrom().item(a + "|" + b);
    }

    @CachedResult(cache = "probe-list", tags = "thing:{id}", ttl = "30s")
    public Uni<List<String>> list(String id) {
        count("list");
        String value = source.get(id);
        return Uni.createFrom().item(value == null ? List.of() : List.of(value.split(",")));
    }

    @CachedResult(cache = "probe-record", tags = "thing:{key.label}", ttl = "30s")
    public Uni<Sample> record(Sample key) {
        count("record");
        return Uni.createFrom().item(new Sample(key.label() + "!", key.size() + 1, key.items()));
    }

    @CachedResult(cache = "probe-plain", tags = "thing:{id}", ttl = "30s")
    public String plain(String id) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a blocking method was computed on an event loop: "
                    + Thread.currentThread().getName());
        }
        count("plain");
        return source.get(id);
    }
}
