package dev.roster.cache.internal;

import dev.roster.cache.CacheHealth;
import dev.roster.cache.internal.entry.EntryStore;
import jakarta.inject.Singleton;

/** {@link CacheHealth} from the store's circuit breaker. */
@Singleton
public class StoreHealth implements CacheHealth {

    private final EntryStore store;

    StoreHealth(EntryStore store) {
        this.store = store;
    }

    @Override
    public String circuit() {
        return store.circuit();
    }

    @Override
    public boolean available() {
        return store.circuitClosed();
    }
}
