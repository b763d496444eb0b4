package dev.roster.cache.internal;

import dev.roster.cache.NothingWritten;
import dev.roster.cache.Tag;
import dev.roster.cache.TagInvalidator;
import dev.roster.cache.WriteScope;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A write detached from its caller and followed by its eviction (see {@link TagInvalidator#write}). The write
 * is subscribed from inside an emitter: a subscriber that cancels only stops listening, the write and its
 * eviction still run, because a MongoDB command already sent lands whether anyone waits for its reply or not.
 */
final class EvictingWrite implements WriteScope {

    private final Set<Tag> tags = new LinkedHashSet<>();

    private EvictingWrite() {}

    static <T> Uni<T> run(TagInvalidator invalidator, Function<WriteScope, Uni<T>> write) {
        return Uni.createFrom().emitter(emitter -> {
            EvictingWrite scope = new EvictingWrite();
            Uni<T> work;
            try {
                work = write.apply(scope);
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            work.onItemOrFailure()
                    .call((item, failure) -> failure instanceof NothingWritten
                            ? Uni.createFrom().voidItem()
                            : invalidator.invalidate(scope.declared()))
                    .subscribe()
                    .with(emitter::complete, emitter::fail);
        });
    }

    @Override
    public synchronized void mayChange(Collection<Tag> more) {
        tags.addAll(more);
    }

    private synchronized Collection<Tag> declared() {
        return new ArrayList<>(tags);
    }
}
