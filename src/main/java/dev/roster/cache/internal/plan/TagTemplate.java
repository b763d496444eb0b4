package dev.roster.cache.internal.plan;

import dev.roster.cache.Tag;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed tag template: {@code kind}, {@code kind:{param}} or {@code kind:{param.component}}. Parsed and
 * checked against the method's parameters at start-up; rendering is then a field read.
 */
public record TagTemplate(String kind, int parameter, Method accessor) {

    private static final Pattern SYNTAX =
            Pattern.compile("([a-z][a-z0-9-]*)(?::\\{([A-Za-z_$][\\w$]*)(?:\\.([A-Za-z_$][\\w$]*))?})?");

    public static TagTemplate parse(String template, Method method) {
        Matcher m = SYNTAX.matcher(template);
        if (!m.matches()) {
            throw new CacheMisuseException(
                    method, "tag '" + template + "' is not 'kind', 'kind:{param}' or 'kind:{param.component}'");
        }
        if (m.group(2) == null) {
            return new TagTemplate(m.group(1), -1, null);
        }
        int index = parameterIndex(method, m.group(2), template);
        Method accessor = m.group(3) == null ? null : accessor(method, index, m.group(3), template);
        return new TagTemplate(m.group(1), index, accessor);
    }

    public Tag render(Object[] args) {
        if (parameter < 0) {
            return Tag.of(kind);
        }
        Object value = args[parameter];
        try {
            if (accessor != null && value != null) {
                value = accessor.invoke(value);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read tag value for " + kind, e);
        }
        return Tag.of(kind, String.valueOf(value));
    }

    private static int parameterIndex(Method method, String name, String template) {
        Parameter[] parameters = method.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            if (!parameters[i].isNamePresent()) {
                throw new CacheMisuseException(method, "parameter names are missing: compile with -parameters");
            }
            if (parameters[i].getName().equals(name)) {
                return i;
            }
        }
        throw new CacheMisuseException(method, "tag '" + template + "' names no parameter '" + name + "'");
    }

    private static Method accessor(Method method, int index, String component, String template) {
        Class<?> type = method.getParameterTypes()[index];
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                if (rc.getName().equals(component)) {
                    return rc.getAccessor();
                }
            }
        }
        throw new CacheMisuseException(
                method, "tag '" + template + "': " + type.getSimpleName() + " has no component '" + component + "'");
    }
}
