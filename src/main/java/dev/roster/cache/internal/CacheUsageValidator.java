package dev.roster.cache.internal;

import dev.roster.cache.CachedResult;
import dev.roster.cache.InvalidatesTags;
import dev.roster.cache.internal.plan.CacheMisuseException;
import dev.roster.cache.internal.plan.MethodPlans;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.jboss.logging.Logger;

/**
 * Checks every use of the cache annotations when the application starts, so that misuse (a {@code Multi}
 * result, a parameter that cannot be a key, a tag naming no parameter)
 * stops the start with a clear message instead of failing requests.
 */
@Singleton
public class CacheUsageValidator {

    private static final Logger LOG = Logger.getLogger(CacheUsageValidator.class);

    private final MethodPlans plans;
    private final BeanManager beans;

    CacheUsageValidator(MethodPlans plans, BeanManager beans) {
        this.plans = plans;
        this.beans = beans;
    }

    void onStart(@Observes StartupEvent event) {
        int checked = 0;
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            for (Method method : bean.getBeanClass().getDeclaredMethods()) {
                checked += check(method);
            }
        }
        LOG.debugf("Checked %d cached or invalidating methods", checked);
    }

    private int check(Method method) {
        boolean caches = method.isAnnotationPresent(CachedResult.class);
        boolean invalidates = method.isAnnotationPresent(InvalidatesTags.class);
        if (!caches && !invalidates) {
            return 0;
        }
        if (Modifier.isPrivate(method.getModifiers()) || Modifier.isStatic(method.getModifiers())) {
            throw new CacheMisuseException(method, "interceptors never run on private or static methods");
        }
        if (caches) {
            plans.result(method);
        }
        if (invalidates) {
            plans.invalidation(method);
        }
        return 1;
    }
}
