package dev.roster.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import dev.roster.cache.CachedResult;
import dev.roster.cache.InvalidatesTags;
import dev.roster.cache.internal.plan.MethodPlan;
import dev.roster.error.Problem;
import dev.roster.membership.service.BulkReport;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a native build needs and this machine can check without GraalVM: every record that Jackson writes or
 * reads by hand is registered for reflection, and so is every bean whose methods the cache inspects and every
 * class whose structure a cache key's shape digest reads.
 *
 * <p>"Registered" means what Quarkus makes of {@code @RegisterForReflection} (its
 * {@code RegisterForReflectionBuildStep}): an annotation without {@code targets} or {@code classNames} registers
 * the annotated class; one with them registers only those, never the annotated class itself; each registered
 * class brings its member classes unless {@code ignoreNested}. Counting any annotated class as registered is how
 * {@code Problem} and {@code BulkReport} (annotated with their nested records as targets) passed this test and
 * then came out of a native build without their fields.
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

    /** Every class that the {@code @RegisterForReflection} annotations of the main classes register. */
    private static Set<Class<?>> registeredClasses() throws Exception {
        Set<Class<?>> registered = new HashSet<>();
        for (Class<?> type : mainClasses()) {
            RegisterForReflection r = type.getAnnotation(RegisterForReflection.class);
            if (r == null) {
                continue;
            }
            List<Class<?>> named = new ArrayList<>(Arrays.asList(r.targets()));
            for (String className : r.classNames()) {
                named.add(Class.forName(className, false, NativeReadinessTest.class.getClassLoader()));
            }
            for (Class<?> target : named.isEmpty() ? List.<Class<?>>of(type) : named) {
                register(target, r.ignoreNested(), registered);
            }
        }
        return registered;
    }

    private static void register(Class<?> type, boolean ignoreNested, Set<Class<?>> registered) {
        registered.add(type);
        if (!ignoreNested) {
            for (Class<?> member : type.getDeclaredClasses()) {
                register(member, false, registered);
            }
        }
    }

    /** The records of the service that Jackson writes or reads, all but the internal values listed above. */
    private static List<Class<?>> serializedRecords() throws Exception {
        List<Class<?>> records = new ArrayList<>();
        for (Class<?> type : mainClasses()) {
            boolean service = type.getName().startsWith("dev.roster.membership")
                    || type.getName().startsWith("dev.roster.error");
            if (type.isRecord() && service && !NOT_SERIALIZED.contains(type.getName())) {
                records.add(type);
            }
        }
        return records;
    }

    /** The classes a declared type names: itself, or its raw type and type arguments, arrays' components. */
    private static Set<Class<?>> named(Type type) {
        Set<Class<?>> out = new LinkedHashSet<>();
        if (type instanceof Class<?> c) {
            out.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            out.addAll(named(p.getRawType()));
            for (Type argument : p.getActualTypeArguments()) {
                out.addAll(named(argument));
            }
        } else if (type instanceof GenericArrayType a) {
            out.addAll(named(a.getGenericComponentType()));
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                out.addAll(named(bound));
            }
        }
        return out;
    }

    @Test
    void shouldRegisterEverySerializedRecordOfTheServiceForReflection() throws Exception {
        Set<Class<?>> registered = registeredClasses();
        List<Class<?>> records = serializedRecords();
        assertTrue(records.size() >= 7, "too few serialized records found: " + records);
        for (Class<?> type : records) {
            assertTrue(
                    registered.contains(type),
                    type.getName() + " is serialized but not registered for reflection (an annotation with targets"
                            + " registers only its targets)");
        }
    }

    @Test
    void shouldRegisterTheRecordsThatProblemsAndBulkReportsHoldForReflection() throws Exception {
        Set<Class<?>> registered = registeredClasses();
        // Written by hand (exception mappers, the routes below JAX-RS): nothing else registers them.
        for (Class<?> type :
                List.of(Problem.class, Problem.Violation.class, BulkReport.class, BulkReport.LineError.class)) {
            assertTrue(registered.contains(type), type.getName() + " is written by Jackson but not registered");
        }
        for (Class<?> type : records(registered)) {
            for (RecordComponent component : type.getRecordComponents()) {
                for (Class<?> held : named(component.getGenericType())) {
                    if (held.getName().startsWith("dev.roster.")) {
                        assertTrue(
                                registered.contains(held),
                                type.getName() + "." + component.getName() + " holds " + held.getName()
                                        + ", which Jackson writes too, but it is not registered for reflection");
                    }
                }
            }
        }
    }

    private static List<Class<?>> records(Set<Class<?>> registered) throws Exception {
        return serializedRecords().stream().filter(registered::contains).toList();
    }

    @Test
    void shouldListOnlyRecordsThatExistAsNotSerialized() throws Exception {
        Set<String> names = new HashSet<>();
        for (Class<?> type : mainClasses()) {
            names.add(type.getName());
        }
        for (String name : NOT_SERIALIZED) {
            assertTrue(
                    names.contains(name), name + " is listed as not serialized but is gone: remove it from the list");
        }
    }

    @Test
    void shouldRegisterEveryDriverClassThatAChangeEventIsDecodedInto() throws Exception {
        Set<Class<?>> registered = registeredClasses();
        Set<Class<?>> decoded = new LinkedHashSet<>();
        collectDriverTypes(ChangeStreamDocument.class, decoded);
        assertTrue(decoded.contains(MongoNamespace.class), "the walk missed the namespace: " + decoded);
        for (Class<?> type : decoded) {
            assertTrue(
                    registered.contains(type),
                    type.getName() + " is decoded by the driver's change stream codec (a POJO codec, by reflection)"
                            + " but not registered for reflection");
        }
    }

    /** The driver classes reachable through the getters of a class the POJO codec decodes. */
    private static void collectDriverTypes(Class<?> type, Set<Class<?>> seen) {
        if (!type.getName().startsWith("com.mongodb.") || !seen.add(type)) {
            return;
        }
        for (Method getter : type.getMethods()) {
            if (getter.getParameterCount() == 0 && getter.getDeclaringClass() == type) {
                for (Class<?> held : named(getter.getGenericReturnType())) {
                    collectDriverTypes(held, seen);
                }
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
        Set<Class<?>> registered = registeredClasses();
        int checked = 0;
        for (Class<?> type : mainClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(CachedResult.class)) {
                    continue;
                }
                for (Class<?> described : MethodPlan.shapeClasses(method)) {
                    checked++;
                    assertTrue(
                            registered.contains(described),
                            described.getName() + " is read by the shape digest of " + type.getSimpleName() + "."
                                    + method.getName() + " but not registered for reflection");
                }
            }
        }
        assertTrue(checked > 0, "no shape digest read any class: the check checked nothing");
    }
}
