package dev.roster.cache.internal;

import dev.roster.cache.Tag;
import dev.roster.cache.internal.entry.Entry;
import dev.roster.cache.internal.entry.EntryDraft;
import dev.roster.cache.internal.entry.EntryStore;
import dev.roster.cache.internal.entry.Found;
import dev.roster.cache.internal.entry.LeaseRequest;
import dev.roster.cache.internal.entry.Stamp;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An {@link EntryStore} in memory, with the same rules as the Redis one (absent keys match nothing, bumps only
 * touch keys that exist, leases are owner tokens) and hooks to make an interleaving happen exactly where a
 * test wants it: before a lookup, or by failing the next calls.
 */
final class InMemoryEntryStore implements EntryStore {

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final Map<String, String> leases = new ConcurrentHashMap<>();
    private final Map<String, List<Tag>> announcements = new ConcurrentHashMap<>();
    private volatile String feedPosition;
    private final List<Consumer<String>> outageListeners = new ArrayList<>();
    private volatile long epoch = Stamp.ABSENT;
    private volatile boolean available = true;
    private volatile boolean failing;
    private volatile boolean failComplete;
    private volatile Consumer<LeaseRequest> beforeLookup = request -> {};
    private volatile Runnable afterReplaceEpoch = () -> {};
    private volatile boolean failBumps;
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger stores = new AtomicInteger();

    // --- what a test does to the store -------------------------------------------------------------------

    /** Runs {@code hook} before every lookup, with the lease request it carries. */
    void beforeLookup(Consumer<LeaseRequest> hook) {
        beforeLookup = hook;
    }

    /** Runs {@code hook} once an epoch replacement has landed, before its answer returns. */
    void afterReplaceEpoch(Runnable hook) {
        afterReplaceEpoch = hook;
    }

    /** Bumps fail (reads still work), as on a Redis refusing writes. */
    void failBumps(boolean fail) {
        failBumps = fail;
    }

    /** Every call fails from now on (a store that stopped answering), or answers again. */
    void failing(boolean fail) {
        failing = fail;
    }

    /** Keys a stamp lacks cannot be created (the store answers lookups, but refuses writes). */
    void failComplete(boolean fail) {
        failComplete = fail;
    }

    /** The circuit opened (or closed again). */
    void available(boolean open) {
        available = open;
        if (!open) {
            outageListeners.forEach(l -> l.accept("test outage"));
        }
    }

    /** The store lost a key, as an eviction policy or an operator would do. */
    void loseGeneration(Tag tag) {
        generations.remove(tag.toString());
    }

    void loseEpoch() {
        epoch = Stamp.ABSENT;
    }

    /** Another instance holds the lease of {@code l}. */
    void leaseHeldByOther(Lookup l) {
        leases.put(l.id(), "other");
    }

    void leaseExpired(Lookup l) {
        leases.remove(l.id());
    }

    boolean leaseHeld(Lookup l) {
        return leases.containsKey(l.id());
    }

    /** Another instance stores {@code body} for {@code l} under the current stamp. */
    void storedByOther(Lookup l, byte[] body, long ttlMillis) {
        createAbsent(l);
        Stamp current = current(l);
        entries.put(
                l.id(),
                new Entry(
                        current,
                        true,
                        false,
                        System.currentTimeMillis(),
                        ttlMillis,
                        0,
                        null,
                        "other",
                        0,
                        body.length,
                        body,
                        false));
    }

    /** Makes the stored entry of {@code l} expired (its TTL passed, it is kept for stale-if-error). */
    void expire(Lookup l) {
        Entry e = entries.get(l.id());
        entries.put(
                l.id(),
                new Entry(
                        e.stamp(),
                        e.present(),
                        e.empty(),
                        e.createdAtMillis() - e.ttlMillis() - 1,
                        e.ttlMillis(),
                        e.loadMicros(),
                        e.etag(),
                        e.loadId(),
                        e.chunkCount(),
                        e.totalLength(),
                        e.inline(),
                        e.gzip()));
    }

    Entry stored(Lookup l) {
        return entries.get(l.id());
    }

    // --- the store ---------------------------------------------------------------------------------------

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public String circuit() {
        return available ? "CLOSED" : "OPEN";
    }

    @Override
    public void onOutage(Consumer<String> listener) {
        outageListeners.add(listener);
    }

    @Override
    public Uni<Found> lookup(Lookup l, LeaseRequest lease) {
        return answer(() -> {
            beforeLookup.accept(lease);
            lookups.incrementAndGet();
            boolean taken = lease.kind() == LeaseRequest.Kind.TAKE && leases.putIfAbsent(l.id(), lease.token()) == null;
            boolean held = lease.kind() == LeaseRequest.Kind.CHECK && leases.containsKey(l.id());
            Stamp current = current(l);
            Entry entry = entries.get(l.id());
            return new Found(current, entry != null && entry.stamp().matches(current) ? entry : null, taken, held);
        });
    }

    @Override
    public Uni<Stamp> complete(Lookup l, Stamp stamp, long keepMillis) {
        if (failComplete) {
            return Uni.createFrom().failure(new IllegalStateException("cannot create keys"));
        }
        return answer(() -> {
            createAbsent(l);
            long[] now = new long[l.tags().size()];
            for (int i = 0; i < now.length; i++) {
                long seen = stamp.generations()[i];
                now[i] = seen == Stamp.ABSENT ? generations.get(l.tags().get(i).toString()) : seen;
            }
            return new Stamp(stamp.epoch() == Stamp.ABSENT ? epoch : stamp.epoch(), now);
        });
    }

    @Override
    public Uni<Boolean> store(Lookup l, EntryDraft draft, byte[] body, String token) {
        if (failing) {
            releaseNow(l, token);
            return Uni.createFrom().item(false);
        }
        stores.incrementAndGet();
        entries.put(l.id(), draft.head("mem", 0, body.length, body, draft.loadMicros(), false));
        releaseNow(l, token);
        return Uni.createFrom().item(true);
    }

    @Override
    public Multi<Buffer> storeStream(
            Lookup l, EntryDraft draft, Multi<Buffer> body, String token, Consumer<Boolean> done) {
        Buffer all = Buffer.buffer();
        return body.invoke(all::appendBuffer).onTermination().invoke((failure, cancelled) -> {
            boolean ok = failure == null && !cancelled && !failing;
            if (ok) {
                entries.put(l.id(), draft.head("mem", 0, all.length(), all.getBytes(), 0, false));
            }
            releaseNow(l, token);
            done.accept(ok);
        });
    }

    @Override
    public Uni<Multi<Buffer>> body(Lookup l, Entry entry) {
        return answer(() -> entry.present()
                ? Multi.createFrom().item(Buffer.buffer(entry.inline()))
                : Multi.createFrom().empty());
    }

    @Override
    public Uni<String> acquire(Lookup l) {
        return answer(() -> {
            String token = "bg-" + System.nanoTime();
            return leases.putIfAbsent(l.id(), token) == null ? token : null;
        });
    }

    @Override
    public Uni<Void> release(Lookup l, String token) {
        releaseNow(l, token);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> bump(Collection<Tag> tags, Collection<String> applied, long keepMillis) {
        if (failBumps) {
            return Uni.createFrom().failure(new IllegalStateException("bump refused"));
        }
        return answer(() -> {
            for (Tag tag : tags) {
                generations.remove(tag.toString());
            }
            applied.forEach(id -> announcements.put(id, List.of()));
            return null;
        });
    }

    @Override
    public Uni<Void> replaceEpoch() {
        return answer(() -> {
            epoch = Stamp.ABSENT;
            afterReplaceEpoch.run();
            return null;
        });
    }

    @Override
    public Uni<Void> announce(Collection<String> changeIds, List<Tag> tags, long keepMillis) {
        return answer(() -> {
            changeIds.forEach(id -> announcements.put(id, List.copyOf(tags)));
            return null;
        });
    }

    @Override
    public Uni<List<Tag>> announced(String changeId) {
        return answer(() -> announcements.get(changeId));
    }

    @Override
    public Uni<String> feedPosition() {
        return answer(() -> feedPosition);
    }

    @Override
    public Uni<Void> saveFeedPosition(String position) {
        return answer(() -> {
            feedPosition = position;
            return null;
        });
    }

    @Override
    public Uni<Boolean> delete(Lookup l) {
        return answer(() -> entries.remove(l.id()) != null);
    }

    @Override
    public Uni<Map<String, Object>> inspect(Lookup l) {
        return answer(() -> Map.of("key", l.id(), "epoch", epoch));
    }

    private synchronized void createAbsent(Lookup l) {
        if (epoch == Stamp.ABSENT) {
            epoch = Stamp.fresh();
        }
        for (Tag tag : l.tags()) {
            generations.putIfAbsent(tag.toString(), Stamp.fresh());
        }
    }

    private Stamp current(Lookup l) {
        long[] now = new long[l.tags().size()];
        for (int i = 0; i < now.length; i++) {
            now[i] = generations.getOrDefault(l.tags().get(i).toString(), Stamp.ABSENT);
        }
        return new Stamp(epoch, now);
    }

    private void releaseNow(Lookup l, String token) {
        if (token != null) {
            leases.remove(l.id(), token);
        }
    }

    private <T> Uni<T> answer(java.util.function.Supplier<T> work) {
        return Uni.createFrom()
                .deferred(() -> failing
                        ? Uni.createFrom().failure(new IllegalStateException("store down"))
                        : Uni.createFrom().item(work));
    }
}
