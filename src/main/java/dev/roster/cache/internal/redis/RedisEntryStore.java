package dev.roster.cache.internal.redis;

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
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Redis {@link EntryStore}: every key, command and reply offset of the cache's entries, stamps and leases
 * (bodies and chunks in {@link RedisBodies}). A stamp is the epoch's and each tag's generation as {@code GET}
 * returns them, a missing key read as {@link Stamp#ABSENT}.
 */
@Singleton
public class RedisEntryStore implements EntryStore {

    private final RedisStore redis;
    private final RedisKeys keys;
    private final Leases leases;
    private final RedisBodies bodies;
    private final EntryInspection inspection;

    RedisEntryStore(RedisStore redis, RedisKeys keys, Leases leases, RedisBodies bodies) {
        this.redis = redis;
        this.keys = keys;
        this.leases = leases;
        this.bodies = bodies;
        this.inspection = new EntryInspection(redis, keys, leases);
    }

    @Override
    public boolean available() {
        return redis.available();
    }

    @Override
    public String circuit() {
        return redis.circuitState().name();
    }

    @Override
    public void onOutage(Consumer<String> listener) {
        redis.onOutage(listener);
    }

    /**
     * One round trip: a write probe ({@link #writeProbes}), the lease request if any, the entry's head, the epoch
     * and each tag's generation. It fails wherever Redis would refuse or park an eviction, so no lookup is
     * served from a Redis on which the writes of other instances cannot land. On a single server a lookup without
     * a lease is two commands: {@code GETEX} of the entry, which reads like {@code GET} but is a write command (so
     * it is the probe: refused under READONLY and MISCONF, parked under {@code CLIENT PAUSE WRITE}, accepted under
     * {@code noeviction} OOM, like the eviction's {@code DEL}), and {@code MGET} of the stamp. A Lua script doing
     * both in one command costs Redis about twice the CPU: the entry's bytes pass through Lua and back.
     */
    @Override
    public Uni<Found> lookup(Lookup l, LeaseRequest lease) {
        if (lease.kind() == LeaseRequest.Kind.NONE && redis.singleNode()) {
            Request stamp = Request.cmd(Command.MGET).arg(keys.epoch());
            for (Tag tag : l.tags()) {
                stamp.arg(keys.generation(tag));
            }
            List<Request> requests = List.of(Request.cmd(Command.GETEX).arg(keys.entry(l.cache(), l.id())), stamp);
            return redis.batch(requests).map(replies -> {
                Response components = replies.get(1);
                List<Response> values = new ArrayList<>(components.size() + 1);
                values.add(replies.get(0));
                for (int i = 0; i < components.size(); i++) {
                    values.add(components.get(i));
                }
                return found(l, lease, values, 0, -1);
            });
        }
        List<Request> requests = new ArrayList<>(2 * l.tags().size() + 4);
        requests.addAll(writeProbes(l.tags()));
        int leaseAt = requests.size();
        switch (lease.kind()) {
            case TAKE -> requests.add(leases.take(l.id(), lease.token()));
            case CHECK -> requests.add(leases.exists(l.id()));
            case NONE -> {}
        }
        int first = requests.size();
        requests.add(Request.cmd(Command.GET).arg(keys.entry(l.cache(), l.id())));
        requests.addAll(StampReads.requests(keys, l.tags()));
        return redis.batch(requests)
                .map(responses -> found(l, lease, responses, first, first == leaseAt ? -1 : leaseAt));
    }

    /** The entry's head at {@code first}, then the stamp; the lease's reply at {@code leaseAt} (-1: none). */
    private static Found found(Lookup l, LeaseRequest lease, List<Response> responses, int first, int leaseAt) {
        Stamp current = StampReads.of(responses, first + 1, l.tags().size());
        Response head = responses.get(first);
        Entry entry =
                head == null ? null : Entry.decode(head.toBuffer().getByteBuf().nioBuffer());
        Response leaseReply = leaseAt < 0 ? null : responses.get(leaseAt);
        return new Found(
                current,
                entry != null && entry.stamp().matches(current) ? entry : null,
                lease.kind() == LeaseRequest.Kind.TAKE && leaseReply != null,
                lease.kind() == LeaseRequest.Kind.CHECK && leaseReply != null && leaseReply.toLong() > 0);
    }

    @Override
    public Uni<Stamp> complete(Lookup l, Stamp stamp, long keepMillis) {
        if (stamp.complete()) {
            return Uni.createFrom().item(stamp);
        }
        List<Request> requests = new ArrayList<>();
        List<Integer> created = new ArrayList<>();
        if (stamp.epoch() == Stamp.ABSENT) {
            requests.add(Request.cmd(Command.SET)
                    .arg(keys.epoch())
                    .arg(Stamp.fresh())
                    .arg("NX"));
            requests.add(Request.cmd(Command.GET).arg(keys.epoch()));
            created.add(-1);
        }
        for (int i = 0; i < l.tags().size(); i++) {
            if (stamp.generations()[i] == Stamp.ABSENT) {
                String key = keys.generation(l.tags().get(i));
                requests.add(Request.cmd(Command.SET)
                        .arg(key)
                        .arg(Stamp.fresh())
                        .arg("NX")
                        .arg("PX")
                        .arg(keepMillis));
                requests.add(Request.cmd(Command.GET).arg(key));
                created.add(i);
            }
        }
        return redis.batch(requests).map(responses -> {
            long epoch = stamp.epoch();
            long[] generations = stamp.generations().clone();
            for (int k = 0; k < created.size(); k++) {
                long value = StampReads.asLong(responses.get(2 * k + 1));
                if (value == Stamp.ABSENT) {
                    throw new IllegalStateException("a generation vanished as it was created");
                }
                if (created.get(k) < 0) {
                    epoch = value;
                } else {
                    generations[created.get(k)] = value;
                }
            }
            return new Stamp(epoch, generations);
        });
    }

    @Override
    public Uni<Boolean> store(Lookup l, EntryDraft draft, byte[] body, String token) {
        List<Request> after = new ArrayList<>(bodies.refreshRequests(l.tags(), draft.keepMillis()));
        if (token != null) {
            after.add(leases.releaseRequest(l.id(), token));
        }
        return bodies.storeWhole(l, draft, body, after).call(stored -> stored ? none() : release(l, token));
    }

    @Override
    public Multi<Buffer> storeStream(
            Lookup l, EntryDraft draft, Multi<Buffer> body, String token, Consumer<Boolean> done) {
        return bodies.storeStream(l, draft, body, stored -> {
            release(l, token).subscribe().with(ignored -> {});
            done.accept(stored);
        });
    }

    @Override
    public Uni<Multi<Buffer>> body(Lookup l, Entry entry) {
        return bodies.body(l, entry);
    }

    @Override
    public Uni<String> acquire(Lookup l) {
        String token = Leases.newToken();
        return redis.send(leases.take(l.id(), token)).map(r -> r == null ? null : token);
    }

    @Override
    public Uni<Void> release(Lookup l, String token) {
        if (token == null) {
            return none();
        }
        return redis.send(leases.releaseRequest(l.id(), token))
                .replaceWithVoid()
                .onFailure()
                .recoverWithNull();
    }

    /**
     * Deletes the generations: a missing generation matches no entry, and the next computation creates it at a
     * fresh value. A delete (unlike an increment) is accepted by a Redis that is out of memory under
     * {@code noeviction}, so an eviction cannot be refused by the very policy recommended for Redis.
     */
    @Override
    public Uni<Void> bump(Collection<Tag> tags, Collection<String> applied, long keepMillis) {
        // One DEL per key: generations live in different Redis Cluster slots.
        List<Request> requests = new ArrayList<>();
        for (Tag tag : new LinkedHashSet<>(tags)) {
            requests.add(Request.cmd(Command.DEL).arg(keys.generation(tag)));
        }
        for (String id : applied) {
            requests.add(announcement(id, AnnouncedTags.APPLIED, keepMillis));
        }
        return redis.batch(requests).replaceWithVoid();
    }

    /** Deletes the epoch (see {@link #bump}): every stored entry stops matching, even on a full Redis. */
    @Override
    public Uni<Void> replaceEpoch() {
        return redis.send(Request.cmd(Command.DEL).arg(keys.epoch())).replaceWithVoid();
    }

    @Override
    public Uni<Void> announce(Collection<String> changeIds, List<Tag> tags, long keepMillis) {
        String value = AnnouncedTags.encode(tags);
        List<Request> sets = new ArrayList<>(changeIds.size());
        for (String id : changeIds) {
            sets.add(announcement(id, value, keepMillis));
        }
        return redis.batch(sets).replaceWithVoid();
    }

    private Request announcement(String changeId, String value, long keepMillis) {
        return Request.cmd(Command.SET)
                .arg(keys.announcement(changeId))
                .arg(value)
                .arg("PX")
                .arg(keepMillis);
    }

    @Override
    public Uni<List<Tag>> announced(String changeId) {
        return redis.send(Request.cmd(Command.GET).arg(keys.announcement(changeId)))
                .map(r -> r == null ? null : AnnouncedTags.decode(r.toString()));
    }

    @Override
    public Uni<String> feedPosition() {
        return redis.send(Request.cmd(Command.GET).arg(keys.feedPosition())).map(r -> r == null ? null : r.toString());
    }

    @Override
    public Uni<Void> saveFeedPosition(String position) {
        return redis.send(Request.cmd(Command.SET).arg(keys.feedPosition()).arg(position))
                .replaceWithVoid();
    }

    @Override
    public Uni<Boolean> delete(Lookup l) {
        return redis.send(Request.cmd(Command.DEL).arg(keys.entry(l.cache(), l.id())))
                .map(r -> r.toLong() > 0);
    }

    @Override
    public Uni<Map<String, Object>> inspect(Lookup l) {
        return inspection.inspect(l);
    }

    /**
     * A {@code DEL} of a key that never exists in the slot of each tag's generation (of the epoch, for a lookup
     * without tags): refused where an eviction's {@code DEL} would be (a read-only replica: {@code READONLY}; a
     * failed save with {@code stop-writes-on-bgsave-error}: {@code MISCONF}), parked where it would be parked
     * ({@code CLIENT PAUSE WRITE}, so the timeout fails the lookup), and accepted where it would be accepted (a
     * full Redis under {@code noeviction}). Sent first: Redis answers a client's commands in order, so under a
     * pause the reads behind it run only after every eviction parked before them has landed. Deleting nothing,
     * it changes no key, and is neither replicated nor written to the AOF.
     */
    private List<Request> writeProbes(List<Tag> tags) {
        if (tags.isEmpty()) {
            return List.of(Request.cmd(Command.DEL).arg(keys.epochWriteProbe()));
        }
        List<Request> probes = new ArrayList<>(tags.size());
        for (Tag tag : new LinkedHashSet<>(tags)) {
            probes.add(Request.cmd(Command.DEL).arg(keys.writeProbe(tag)));
        }
        return probes;
    }

    private static Uni<Void> none() {
        return Uni.createFrom().voidItem();
    }
}
