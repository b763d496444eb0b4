package dev.roster.cache.internal;

import dev.roster.cache.NothingWritten;
import dev.roster.cache.Tag;
import dev.roster.cache.WriteScope;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A write detached from its caller and followed by its eviction (see {@link dev.roster.cache.TagInvalidator#write}). The write
 * is subscribed from inside an emitter: a subscriber that cancels only stops listening, the write and its
 * eviction still run, because a MongoDB command already sent lands whether anyone waits for its reply or not.
 */
final class EvictingWrite implements WriteScope {

    private final Set<Tag> tags = new LinkedHashSet<>();
    private final Set<String> announced = new LinkedHashSet<>();
    private final Evictions evictions;

    private EvictingWrite(Evictions evictions) {
        this.evictions = evictions;
    }

    static <T> Uni<T> run(Evictions evictions, Function<WriteScope, Uni<T>> write) {
        return Uni.createFrom().emitter(emitter -> {
            EvictingWrite scope = new EvictingWrite(evictions);
            Uni<T> work;
            try {
                work = write.apply(scope);
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            work.onItemOrFailure()
                    .call((item, failure) -> {
                        if (failure instanceof NothingWritten) {
                            return Uni.createFrom().voidItem();
                        }
                        // Only an acknowledged write is known to have landed before this eviction: after any
                        // other outcome the change feed evicts its announcements again when it sees the change.
                        return evictions.invalidate(scope.declared(), failure == null ? scope.announced() : List.of());
                    })
                    .subscribe()
                    .with(emitter::complete, emitter::fail);
        });
    }

    @Override
    public synchronized void mayChange(Collection<Tag> more) {
        tags.addAll(more);
    }

    @Override
    public Uni<Void> announce(Collection<String> changeIds) {
        synchronized (this) {
            announced.addAll(changeIds);
        }
        return evictions.announce(changeIds, declared());
    }

    private synchronized Collection<String> announced() {
        return new ArrayList<>(announced);
    }

    private synchronized Collection<Tag> declared() {
        return new ArrayList<>(tags);
    }
}
