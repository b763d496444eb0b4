package dev.roster.cache.internal.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.roster.cache.CachedBody;
import dev.roster.cache.CachedResult;
import dev.roster.cache.InvalidatesTags;
import dev.roster.cache.Tag;
import io.quarkus.cache.CacheKey;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;

/**
 * Everything the interceptors need to know about one annotated method, worked out once (at start-up, by
 * {@link CacheUsageValidator}) from its signature and annotations.
 */
public final class MethodPlan {

    /** How many entry ids of recent arguments each method remembers. */
    private static final int RECENT_IDS = 10_000;

    /** How the method returns its result. */
    public enum Kind {
        UNI_BODY,
        UNI_VALUE,
        PLAIN_VALUE
    }

    private static final Pattern CACHE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public final Method method;
    public final String cache;
    public final String settingsKey;
    public final Kind kind;
    public final Type valueType;
    public final String shapeVersion;
    public final Optional<java.time.Duration> ttl;
    private final int[] keyParameters;
    private final List<TagTemplate> tags;
    private final Cache<List<Object>, String> recentIds =
            Caffeine.newBuilder().maximumSize(RECENT_IDS).build();

    private MethodPlan(Method method, CachedResult annotation) {
        this.method = method;
        this.cache = annotation.cache();
        this.settingsKey = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        if (!CACHE_NAME.matcher(cache).matches()) {
            throw new CacheMisuseException(method, "cache name '" + cache + "' must match " + CACHE_NAME);
        }
        this.valueType = resultType(method);
        this.kind = method.getReturnType() == Uni.class
                ? (valueType == CachedBody.class ? Kind.UNI_BODY : Kind.UNI_VALUE)
                : Kind.PLAIN_VALUE;
        this.keyParameters = keyParameters(method);
        this.tags = templates(method, annotation.tags());
        this.shapeVersion = shapeVersion(annotation);
        this.ttl = annotation.ttl().isBlank()
                ? Optional.empty()
                : Optional.of(DurationConverter.parseDuration(annotation.ttl()));
    }

    public static MethodPlan forResult(Method method) {
        return new MethodPlan(method, method.getAnnotation(CachedResult.class));
    }

    static List<TagTemplate> forInvalidation(Method method) {
        InvalidatesTags annotation = method.getAnnotation(InvalidatesTags.class);
        if (method.getReturnType() != Uni.class) {
            throw new CacheMisuseException(
                    method, "@InvalidatesTags needs a Uni return type, so that eviction can follow the write");
        }
        return templates(method, annotation.value());
    }

    public Object[] keyArguments(Object[] args) {
        Object[] keyArgs = new Object[keyParameters.length];
        for (int i = 0; i < keyParameters.length; i++) {
            keyArgs[i] = args[keyParameters[i]];
        }
        return keyArgs;
    }

    /**
     * The entry's identity: digest of cache, shape and the encoded key arguments. Remembered for recent arguments
     * of immutable types (a digest costs more than the rest of a hit's key work); a mutable argument could change
     * after it was remembered, so it is digested every time.
     */
    public String entryId(Object[] args) {
        Object[] keyArgs = keyArguments(args);
        for (Object a : keyArgs) {
            if (!immutable(a)) {
                return digestOf(keyArgs);
            }
        }
        return recentIds.get(Arrays.asList(keyArgs), k -> digestOf(keyArgs));
    }

    private String digestOf(Object[] keyArgs) {
        return Hashing.digest(
                cache.getBytes(StandardCharsets.UTF_8),
                shapeVersion.getBytes(StandardCharsets.UTF_8),
                KeyEncoder.encode(keyArgs));
    }

    private static boolean immutable(Object value) {
        return value == null
                || value instanceof String
                || value instanceof Enum<?>
                || value instanceof Boolean
                || value instanceof Character
                || value instanceof UUID
                || (value instanceof Number && value.getClass().getPackageName().equals("java.lang"));
    }

    public List<Tag> tags(Object[] args) {
        return render(tags, args);
    }

    public static List<Tag> render(List<TagTemplate> templates, Object[] args) {
        List<Tag> rendered = new ArrayList<>(templates.size());
        for (TagTemplate t : templates) {
            rendered.add(t.render(args));
        }
        return rendered;
    }

    private static List<TagTemplate> templates(Method method, String[] templates) {
        List<TagTemplate> parsed = new ArrayList<>();
        for (String t : templates) {
            parsed.add(TagTemplate.parse(t, method));
        }
        return List.copyOf(parsed);
    }

    private static Type resultType(Method method) {
        Class<?> raw = method.getReturnType();
        if (Multi.class.isAssignableFrom(raw) || Publisher.class.isAssignableFrom(raw)) {
            throw new CacheMisuseException(
                    method,
                    "a Multi cannot be cached as such; return Uni<CachedBody> built with CachedBody.streamed(...) to cache a stream in chunks");
        }
        if (CompletionStage.class.isAssignableFrom(raw) || raw == void.class || raw == Void.class) {
            throw new CacheMisuseException(method, "return Uni<T> or a plain value, not " + raw.getSimpleName());
        }
        if (raw == Uni.class) {
            Type generic = method.getGenericReturnType();
            if (!(generic instanceof ParameterizedType p)) {
                throw new CacheMisuseException(method, "Uni needs a type argument");
            }
            return p.getActualTypeArguments()[0];
        }
        if (raw == CachedBody.class) {
            throw new CacheMisuseException(method, "CachedBody is only cacheable as Uni<CachedBody>");
        }
        return method.getGenericReturnType();
    }

    private static int[] keyParameters(Method method) {
        var parameters = method.getParameters();
        List<Integer> marked = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].isAnnotationPresent(CacheKey.class)) {
                marked.add(i);
            }
        }
        if (marked.isEmpty()) {
            for (int i = 0; i < parameters.length; i++) {
                marked.add(i);
            }
        }
        for (int i : marked) {
            Type type = parameters[i].getParameterizedType();
            if (!KeyEncoder.supports(type)) {
                throw new CacheMisuseException(
                        method,
                        "parameter '" + parameters[i].getName() + "' of type "
                                + type.getTypeName()
                                + " cannot be encoded into a key unambiguously; use strings, numbers, "
                                + "enums, records or collections of them, or mark the key parameters with @CacheKey");
            }
        }
        return marked.stream().mapToInt(Integer::intValue).toArray();
    }

    private String shapeVersion(CachedResult annotation) {
        StringBuilder shape =
                new StringBuilder("v").append(annotation.version()).append('|');
        describeShape(annotation, valueType, shape, new HashSet<>());
        return Hashing.digest(shape.toString()).substring(0, 8);
    }

    /**
     * The classes whose record components or fields the shape digest of this method reads: a native image keeps
     * that metadata only for classes registered for reflection, so every one of them must be (checked by a test),
     * or native and JVM instances would compute different keys for the same entry.
     */
    public static Set<Class<?>> shapeClasses(Method method) {
        Set<Type> seen = new HashSet<>();
        describeShape(method.getAnnotation(CachedResult.class), resultType(method), new StringBuilder(), seen);
        Set<Class<?>> classes = new HashSet<>();
        for (Type t : seen) {
            if (t instanceof Class<?> c) {
                classes.add(c);
            }
        }
        return classes;
    }

    private static void describeShape(CachedResult annotation, Type valueType, StringBuilder shape, Set<Type> seen) {
        if (annotation.shape().length > 0) {
            for (Class<?> c : annotation.shape()) {
                describe(c, shape, seen);
            }
        } else {
            describe(valueType, shape, seen);
        }
    }

    /** Writes the structure of {@code type}: names and types of record components or fields, recursively. */
    private static void describe(Type type, StringBuilder out, Set<Type> seen) {
        out.append(type.getTypeName()).append('{');
        if (type instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                describe(arg, out, seen);
            }
        } else if (type instanceof Class<?> c && !c.getName().startsWith("java.") && !c.isPrimitive() && seen.add(c)) {
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    out.append(rc.getName()).append(':');
                    describe(rc.getGenericType(), out, seen);
                }
            } else {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        out.append(f.getName()).append(':');
                        describe(f.getGenericType(), out, seen);
                    }
                }
            }
        }
        out.append('}');
    }
}
