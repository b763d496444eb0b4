package dev.roster.cache.internal.plan;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes key arguments unambiguously: every value is typed and every variable-length part is
 * length-prefixed, so team {@code "a:b"} and team {@code "a"} with argument {@code "b"} give different
 * bytes, and {@code *}, {@code $}, spaces and non-ASCII are only data. Sets and maps are sorted by their
 * encodings, so equal arguments always give equal keys.
 */
final class KeyEncoder {

    private KeyEncoder() {}

    static byte[] encode(Object[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, 'A', args.length);
        for (Object arg : args) {
            write(out, arg);
        }
        return out.toByteArray();
    }

    /** Whether values of {@code type} can be encoded; checked at start-up for every key parameter. */
    static boolean supports(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            return supportsContainer(raw)
                    && Arrays.stream(p.getActualTypeArguments()).allMatch(KeyEncoder::supports);
        }
        if (type instanceof WildcardType w) {
            return Arrays.stream(w.getUpperBounds()).allMatch(KeyEncoder::supports);
        }
        if (!(type instanceof Class<?> c)) {
            return false;
        }
        if (c.isPrimitive() || isScalar(c)) {
            return true;
        }
        if (c.isRecord()) {
            return Arrays.stream(c.getRecordComponents()).allMatch(rc -> supports(rc.getGenericType()));
        }
        return false;
    }

    private static boolean supportsContainer(Class<?> raw) {
        return Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw) || raw == Optional.class;
    }

    private static boolean isScalar(Class<?> c) {
        return CharSequence.class.isAssignableFrom(c)
                || Number.class.isAssignableFrom(c)
                || c == Boolean.class
                || c == Character.class
                || c.isEnum()
                || c == UUID.class
                || TemporalAccessor.class.isAssignableFrom(c);
    }

    private static void write(ByteArrayOutputStream out, Object value) {
        if (value == null) {
            out.write('N');
        } else if (value instanceof CharSequence s) {
            bytes(out, 'S', s.toString().getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            bytes(out, 'I', value.toString().getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof Number n) {
            String text = n instanceof BigDecimal b ? b.stripTrailingZeros().toPlainString() : n.toString();
            bytes(out, 'D', text.getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof Boolean b) {
            out.write(b ? 'T' : 'F');
        } else if (value instanceof Character c) {
            bytes(out, 'C', c.toString().getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Enum<?> e) {
            bytes(out, 'E', (e.getDeclaringClass().getName() + "#" + e.name()).getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof UUID || value instanceof TemporalAccessor) {
            bytes(out, 'W', (value.getClass().getName() + "#" + value).getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Optional<?> o) {
            out.write('O');
            write(out, o.orElse(null));
        } else if (value instanceof Set<?> s) {
            sorted(out, 'U', s.stream().map(KeyEncoder::single).toList());
        } else if (value instanceof Collection<?> c) {
            header(out, 'L', c.size());
            c.forEach(item -> write(out, item));
        } else if (value instanceof Map<?, ?> m) {
            List<byte[]> entries = new ArrayList<>();
            m.forEach((k, v) -> entries.add(concat(single(k), single(v))));
            sorted(out, 'M', entries);
        } else if (value instanceof Record r) {
            record(out, r);
        } else {
            throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be part of a cache key");
        }
    }

    private static void record(ByteArrayOutputStream out, Record r) {
        RecordComponent[] components = r.getClass().getRecordComponents();
        bytes(out, 'R', r.getClass().getName().getBytes(StandardCharsets.UTF_8));
        header(out, 'R', components.length);
        for (RecordComponent rc : components) {
            try {
                write(out, rc.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("cannot read record component " + rc.getName(), e);
            }
        }
    }

    private static byte[] single(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static void sorted(ByteArrayOutputStream out, char type, List<byte[]> items) {
        List<byte[]> copy = new ArrayList<>(items);
        copy.sort(Arrays::compare);
        header(out, type, copy.size());
        copy.forEach(out::writeBytes);
    }

    private static void header(ByteArrayOutputStream out, char type, int count) {
        out.write(type);
        out.writeBytes(Integer.toString(count).getBytes(StandardCharsets.US_ASCII));
        out.write(';');
    }

    private static void bytes(ByteArrayOutputStream out, char type, byte[] data) {
        header(out, type, data.length);
        out.writeBytes(data);
    }
}
