package dev.roster.cache.internal;

import java.lang.reflect.Method;

/** A cache annotation used in a way that cannot work; thrown at start-up, never per request. */
final class CacheMisuseException extends IllegalStateException {

    CacheMisuseException(Method method, String problem) {
        super("Misused cache annotation on " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + ": " + problem);
    }
}
