package dev.roster.cache.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.CachedResult;
import dev.roster.cache.InvalidatesTags;
import io.quarkus.cache.CacheKey;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the start-up check accepts and rejects, and how keys and shape versions are derived. */
class MethodPlanTest {

    record Before(String name) {}

    record After(String name, String extra) {}

    static class Subject {
        @CachedResult(cache = "a", tags = "team:{team}")
        Uni<String> ok(String team, int page) {
            return null;
        }

        @CachedResult(cache = "a")
        Uni<String> keyed(@CacheKey String team, InputStream ignored) {
            return null;
        }

        @CachedResult(cache = "a")
        Multi<String> stream(String team) {
            return null;
        }

        @CachedResult(cache = "a")
        Uni<String> unencodable(InputStream in) {
            return null;
        }

        @CachedResult(cache = "a", tags = "team:{nope}")
        Uni<String> badTag(String team) {
            return null;
        }

        @CachedResult(cache = "Bad Name")
        Uni<String> badName(String team) {
            return null;
        }

        @CachedResult(cache = "a")
        Uni<Before> before(String team) {
            return null;
        }

        @CachedResult(cache = "a")
        Uni<After> after(String team) {
            return null;
        }

        @InvalidatesTags("team:{team}")
        String notUni(String team) {
            return null;
        }
    }

    private static Method method(String name) {
        for (Method m : Subject.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void shouldAcceptSupportedSignatures() {
        MethodPlan plan = MethodPlan.forResult(method("ok"));
        assertEquals(MethodPlan.Kind.UNI_VALUE, plan.kind);
        assertEquals(List.of(dev.roster.cache.Tag.of("team", "x")), plan.tags(new Object[] {"x", 2}));
        MethodPlan keyed = MethodPlan.forResult(method("keyed"));
        assertEquals(
                keyed.entryId(new Object[] {"t", null}),
                keyed.entryId(new Object[] {"t", InputStream.nullInputStream()}));
    }

    @Test
    void shouldRejectMisuseWithAClearMessage() {
        assertTrue(assertThrows(CacheMisuseException.class, () -> MethodPlan.forResult(method("stream")))
                .getMessage()
                .contains("Multi"));
        assertTrue(assertThrows(CacheMisuseException.class, () -> MethodPlan.forResult(method("unencodable")))
                .getMessage()
                .contains("cannot be encoded"));
        assertTrue(assertThrows(CacheMisuseException.class, () -> MethodPlan.forResult(method("badTag")))
                .getMessage()
                .contains("names no parameter"));
        assertThrows(CacheMisuseException.class, () -> MethodPlan.forResult(method("badName")));
        assertThrows(CacheMisuseException.class, () -> MethodPlan.forInvalidation(method("notUni")));
    }

    @Test
    void shouldChangeTheKeyVersionWhenTheResultShapeChanges() {
        assertNotEquals(
                MethodPlan.forResult(method("before")).shapeVersion,
                MethodPlan.forResult(method("after")).shapeVersion);
        assertNotEquals(
                MethodPlan.forResult(method("before")).entryId(new Object[] {"t"}),
                MethodPlan.forResult(method("after")).entryId(new Object[] {"t"}));
    }

    @Test
    void shouldEncodeArgumentsUnambiguously() {
        assertNotEquals(
                new String(KeyEncoder.encode(new Object[] {"a:b", null})),
                new String(KeyEncoder.encode(new Object[] {"a", "b"})));
        assertNotEquals(
                new String(KeyEncoder.encode(new Object[] {"1"})), new String(KeyEncoder.encode(new Object[] {1})));
        assertEquals(
                new String(KeyEncoder.encode(new Object[] {java.util.Set.of("x", "y")})),
                new String(KeyEncoder.encode(new Object[] {new java.util.TreeSet<>(List.of("y", "x"))})));
    }
}
