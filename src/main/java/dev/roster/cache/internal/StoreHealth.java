package dev.roster.cache.internal;

import dev.roster.cache.CacheHealth;
import dev.roster.cache.internal.entry.EntryStore;
import jakarta.enterprise.context.ApplicationScoped;

/** {@link CacheHealth} from the store's circuit breaker. */
@ApplicationScoped
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
