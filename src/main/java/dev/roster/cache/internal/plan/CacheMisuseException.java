package dev.roster.cache.internal.plan;

import java.lang.reflect.Method;

/** A cache annotation used in a way that cannot work; thrown at start-up, never per request. */
public final class CacheMisuseException extends IllegalStateException {

    public CacheMisuseException(Method method, String problem) {
        super("Misused cache annotation on " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + ": " + problem);
    }
}
