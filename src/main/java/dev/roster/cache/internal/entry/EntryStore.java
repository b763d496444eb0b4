package dev.roster.cache.internal.entry;

import dev.roster.cache.Tag;
import dev.roster.cache.internal.plan.Lookup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one seam between the caching rules and the server that holds entries, stamps and leases. The rules
 * (stamps must match, leases, stale, refresh, eviction) live above it and never see a command, a key or a
 * reply; the Redis implementation owns all three. Every method that talks to the server fails on its errors
 * unless it says otherwise; callers treat a failure as a miss.
 */
public interface EntryStore {

    /** Whether the server may be used now (false while its circuit is open). */
    boolean available();

    /** The circuit's state: CLOSED, OPEN or PROBING. */
    String circuit();

    /** Whether the circuit is closed: the last calls were answered (a failure now is likely transient). */
    default boolean circuitClosed() {
        return "CLOSED".equals(circuit());
    }

    /** Called with a reason whenever evictions may have been lost (the server became unavailable). */
    void onOutage(Consumer<String> listener);

    /**
     * The entry (null unless it is valid for the current stamp), the current stamp and, when asked, the
     * lease, in one round trip. The lease is taken or checked before the entry is read: a holder stores its
     * entry before it releases the lease, so an entry read after a free lease is already there.
     */
    Uni<Found> lookup(Lookup l, LeaseRequest lease);

    /**
     * Creates the keys {@code stamp} found absent (at fresh values, living {@code keepMillis}) and emits the
     * stamp as the server holds it then.
     */
    Uni<Stamp> complete(Lookup l, Stamp stamp, long keepMillis);

    /**
     * Stores a whole body under the draft's stamp, keeps the stamp's generations alive as long as the entry,
     * then releases the lease {@code token} (if not null), in as few round trips as the body allows. Emits
     * whether the entry was stored; never fails (the lease is released either way).
     */
    Uni<Boolean> store(Lookup l, EntryDraft draft, byte[] body, String token);

    /**
     * Tees a streamed body into the store while it flows to the client, its head written last; the lease
     * {@code token} is released and {@code done} told whether it was stored when the stream ends, however it
     * ends (a stream that fails or is cancelled is never stored).
     */
    Multi<Buffer> storeStream(Lookup l, EntryDraft draft, Multi<Buffer> body, String token, Consumer<Boolean> done);

    /**
     * The body of an entry, as stored: inline, or read in windows as the client consumes it. An entry whose
     * parts are gone is deleted (if it is still that entry) before the stream fails.
     */
    Uni<Multi<Buffer>> body(Lookup l, Entry entry);

    /** Takes the key's lease for background work: emits the owner token, or null when someone holds it. */
    Uni<String> acquire(Lookup l);

    /** Releases the lease if {@code token} still owns it; never fails; nothing to do for a null token. */
    Uni<Void> release(Lookup l, String token);

    /** Deletes the generations of these tags: no entry stamped before matches them again. */
    default Uni<Void> bump(Collection<Tag> tags) {
        return bump(tags, List.of(), 0);
    }

    /**
     * {@link #bump(Collection)}, and in the same round trip marks the announcements {@code applied} as done (for
     * {@code keepMillis}): the change feed need not evict them again.
     */
    Uni<Void> bump(Collection<Tag> tags, Collection<String> applied, long keepMillis);

    /** Deletes the global epoch (the next computation creates a fresh one): every stored entry stops matching. */
    Uni<Void> replaceEpoch();

    /**
     * Keeps {@code tags} under each of {@code changeIds} for {@code keepMillis}: what a write announced before it
     * was sent, for the change feed.
     */
    Uni<Void> announce(Collection<String> changeIds, List<Tag> tags, long keepMillis);

    /**
     * The tags announced under {@code changeId}: empty once the writer applied them itself, null when none are
     * kept (never announced, expired, lost).
     */
    Uni<List<Tag>> announced(String changeId);

    /** The change feed's saved position, null when none is kept. */
    Uni<String> feedPosition();

    /** Saves the change feed's position (kept without expiry, beside the epoch). */
    Uni<Void> saveFeedPosition(String position);

    /** Deletes the entry of {@code l}; emits whether there was one. */
    Uni<Boolean> delete(Lookup l);

    /** What the store holds for {@code l}, for the management interface's explain route. */
    Uni<Map<String, Object>> inspect(Lookup l);
}
