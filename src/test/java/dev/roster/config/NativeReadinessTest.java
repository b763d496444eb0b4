package dev.roster.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roster.cache.CachedResult;
import dev.roster.cache.InvalidatesTags;
import dev.roster.cache.internal.plan.MethodPlan;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a native build needs and this machine can check without GraalVM: every record that Jackson writes or
 * reads by hand is registered for reflection, and so is every bean whose methods the cache inspects and every
 * class whose structure a cache key's shape digest reads.
 */
class NativeReadinessTest {

    /** Records that never go through Jackson (internal values). */
    private static final Set<String> NOT_SERIALIZED = Set.of(
            "dev.roster.membership.repository.UpsertOutcome",
            "dev.roster.membership.service.MemberChange",
            "dev.roster.membership.service.BulkLine$Upsert",
            "dev.roster.membership.service.BulkLine$Rejected",
            "dev.roster.membership.rest.NdjsonLines$Line",
            "dev.roster.membership.admin.CacheAdminRoutes$Target",
            "dev.roster.membership.changes.ChangeEvent",
            "dev.roster.membership.changes.ChangeRules$Resolution$Exact",
            "dev.roster.membership.changes.ChangeRules$Resolution$Announced",
            "dev.roster.membership.changes.ChangeRules$Resolution$Everything");

    private static List<Class<?>> mainClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(CachedResult.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/roster"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                classes.add(Class.forName(name, false, NativeReadinessTest.class.getClassLoader()));
            }
        }
        return classes;
    }

    private static boolean registered(Class<?> type) {
        if (type.isAnnotationPresent(RegisterForReflection.class)) {
            return true;
        }
        Class<?> outer = type.getEnclosingClass();
        return outer != null
                && outer.isAnnotationPresent(RegisterForReflection.class)
                && Arrays.asList(
                                outer.getAnnotation(RegisterForReflection.class).targets())
                        .contains(type);
    }

    @Test
    void shouldRegisterEverySerializedRecordOfTheServiceForReflection() throws Exception {
        for (Class<?> type : mainClasses()) {
            boolean service = type.getName().startsWith("dev.roster.membership")
                    || type.getName().startsWith("dev.roster.error");
            if (type.isRecord() && service && !NOT_SERIALIZED.contains(type.getName())) {
                assertTrue(registered(type), type.getName() + " is serialized but not registered for reflection");
            }
        }
    }

    @Test
    void shouldRegisterEveryBeanWithCacheAnnotationsForReflection() throws Exception {
        for (Class<?> type : mainClasses()) {
            boolean annotated = Arrays.stream(type.getDeclaredMethods())
                    .anyMatch(m ->
                            m.isAnnotationPresent(CachedResult.class) || m.isAnnotationPresent(InvalidatesTags.class));
            if (annotated) {
                assertTrue(
                        type.isAnnotationPresent(RegisterForReflection.class)
                                && type.getAnnotation(RegisterForReflection.class)
                                        .methods(),
                        type.getName() + " has cache annotations but its methods are not registered for reflection");
            }
        }
    }

    @Test
    void shouldRegisterEveryClassThatAShapeDigestReadsForReflection() throws Exception {
        int checked = 0;
        for (Class<?> type : mainClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(CachedResult.class)) {
                    continue;
                }
                for (Class<?> described : MethodPlan.shapeClasses(method)) {
                    checked++;
                    assertTrue(
                            registered(described),
                            described.getName() + " is read by the shape digest of " + type.getSimpleName() + "."
                                    + method.getName() + " but not registered for reflection");
                }
            }
        }
        assertTrue(checked > 0, "no shape digest read any class: the check checked nothing");
    }
}
