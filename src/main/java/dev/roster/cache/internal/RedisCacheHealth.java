package dev.roster.cache.internal;

import dev.roster.cache.CacheHealth;
import jakarta.enterprise.context.ApplicationScoped;

/** {@link CacheHealth} from the circuit breaker's state. */
@ApplicationScoped
public class RedisCacheHealth implements CacheHealth {

    private final RedisStore store;

    RedisCacheHealth(RedisStore store) {
        this.store = store;
    }

    @Override
    public String circuit() {
        return store.circuitState().name();
    }

    @Override
    public boolean available() {
        return store.circuitState() == RedisCircuit.State.CLOSED;
    }
}
