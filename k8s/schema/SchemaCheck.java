import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.annotations.SerializedName;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict, offline schema validation of rendered Kubernetes objects, in the spirit of {@code kubeconform -strict}.
 *
 * <p>The schemas are generated at run time from two model libraries served by Maven Central (versions pinned in
 * k8s/schema/pom.xml): the official Kubernetes Java client's models ({@code io.kubernetes:client-java-api}
 * 21.0.2, generated from the Kubernetes 1.30 OpenAPI spec) for built-in kinds, and fabric8's
 * {@code openshift-model-monitoring} 7.4.0 for the Prometheus Operator's {@code monitoring.coreos.com/v1}
 * kinds. Every object schema is strict: {@code additionalProperties: false}, so an unknown or misspelled key fails,
 * as does a value of the wrong type ({@code periodSeconds: two}). Built-in kinds also get the spec's required
 * fields; the fabric8 models carry no required list, so what the Prometheus Operator's CRD requires of a
 * PrometheusRule (a group's name, a rule's expr, durations such as {@code for: 5m}) is added from {@link #CRD}.
 * {@code null} is accepted wherever the API server accepts it (it means "unset").
 *
 * <p>Usage: {@code SchemaCheck [--dump DIR] [LABEL=FILE ...] [--expect-invalid LABEL=FILE=NEEDLE ...]}. Each FILE
 * is the JSON stream {@code kubectl annotate --local -o json} prints for a rendered kustomization. A file after
 * {@code --expect-invalid} must fail, with a message containing NEEDLE (the self-test). {@code --dump DIR} writes
 * the schema of every kind seen, kubeconform-style ({@code deployment-apps-v1.json}). Exit 0 when every file met
 * its expectation.
 */
public final class SchemaCheck {

    static final String KUBERNETES_VERSION = "1.30";
    static final String K8S_MODELS = "io.kubernetes.client.openapi.models.";
    static final String MONITORING_MODELS = "io.fabric8.openshift.api.model.monitoring.v1.";
    /** Kubernetes resource.Quantity as CRD validation spells it (a string also allows plain numbers). */
    static final String QUANTITY = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    /** apiVersion/kind -> model class. A kind missing here fails: add it (and check the class exists). */
    static final Map<String, String> MODELS = new HashMap<>();

    static {
        builtIn("v1", "V1", "ConfigMap", "Secret", "Service", "ServiceAccount", "Pod", "PodTemplate",
                "PersistentVolumeClaim", "PersistentVolume", "Namespace", "Endpoints", "LimitRange",
                "ResourceQuota", "ReplicationController");
        MODELS.put("v1/Event", K8S_MODELS + "CoreV1Event");
        builtIn("apps/v1", "V1", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision");
        builtIn("batch/v1", "V1", "Job", "CronJob");
        builtIn("autoscaling/v1", "V1", "HorizontalPodAutoscaler");
        builtIn("autoscaling/v2", "V2", "HorizontalPodAutoscaler");
        builtIn("policy/v1", "V1", "PodDisruptionBudget");
        builtIn("networking.k8s.io/v1", "V1", "NetworkPolicy", "Ingress", "IngressClass");
        builtIn("rbac.authorization.k8s.io/v1", "V1", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
        builtIn("scheduling.k8s.io/v1", "V1", "PriorityClass");
        builtIn("storage.k8s.io/v1", "V1", "StorageClass");
        builtIn("coordination.k8s.io/v1", "V1", "Lease");
        builtIn("discovery.k8s.io/v1", "V1", "EndpointSlice");
        builtIn("apiextensions.k8s.io/v1", "V1", "CustomResourceDefinition");
        builtIn("admissionregistration.k8s.io/v1", "V1", "ValidatingWebhookConfiguration",
                "MutatingWebhookConfiguration");
        for (String kind : List.of("ServiceMonitor", "PodMonitor", "PrometheusRule")) {
            MODELS.put("monitoring.coreos.com/v1/" + kind, MONITORING_MODELS + kind);
        }
    }

    /** The duration format of the Prometheus Operator's CRDs ({@code 30s}, {@code 5m}, {@code 1h30m}). */
    static final String DURATION =
            "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$";

    /**
     * What the CRD (monitoring.coreos.com_prometheusrules.yaml of prometheus-operator 0.82) says that fabric8's model
     * does not: model class -> required properties, and property -> pattern. Applied to the generated definitions.
     */
    record CrdRule(List<String> required, Map<String, String> patterns) {}

    static final Map<String, CrdRule> CRD = Map.of(
            MONITORING_MODELS + "PrometheusRule", new CrdRule(List.of("spec"), Map.of()),
            MONITORING_MODELS + "RuleGroup", new CrdRule(List.of("name"), Map.of("interval", DURATION)),
            MONITORING_MODELS + "Rule",
                    new CrdRule(List.of("expr"), Map.of("for", DURATION, "keep_firing_for", DURATION)));

    static void builtIn(String apiVersion, String prefix, String... kinds) {
        for (String kind : kinds) {
            MODELS.put(apiVersion + "/" + kind, K8S_MODELS + prefix + kind);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    final Map<String, JsonSchema> compiled = new HashMap<>();
    final Map<String, ObjectNode> documents = new HashMap<>();

    public static void main(String[] args) throws Exception {
        SchemaCheck check = new SchemaCheck();
        Path dump = null;
        boolean expectInvalid = false;
        int failed = 0, files = 0, objects = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--dump")) {
                dump = Path.of(args[++i]);
                continue;
            }
            if (arg.equals("--expect-invalid")) {
                expectInvalid = true;
                continue;
            }
            String[] parts = arg.split("=", expectInvalid ? 3 : 2);
            if (parts.length != (expectInvalid ? 3 : 2)) {
                System.err.println("SchemaCheck: bad argument " + arg + " (LABEL=FILE, or LABEL=FILE=NEEDLE after"
                        + " --expect-invalid)");
                System.exit(2);
            }
            List<String> errors = new ArrayList<>();
            int count = check.validateFile(new File(parts[1]), errors);
            files++;
            objects += count;
            if (!expectInvalid) {
                errors.forEach(e -> System.out.println("  schema error: " + parts[0] + ": " + e));
                if (!errors.isEmpty()) {
                    failed++;
                }
                System.out.printf("  %s: %d objects %s%n", parts[0], count,
                        errors.isEmpty() ? "valid (strict)" : "INVALID: " + errors.size() + " error(s)");
            } else {
                String needle = parts[2];
                String hit = errors.stream().filter(e -> e.contains(needle)).findFirst().orElse(null);
                if (hit != null) {
                    System.out.printf("  self-test %s: rejected as expected: %s%n", parts[0], hit);
                } else {
                    failed++;
                    System.out.printf("  self-test %s: FAILED: expected an error mentioning %s, got %s%n",
                            parts[0], needle, errors.isEmpty() ? "none" : errors);
                }
            }
        }
        if (dump != null) {
            Files.createDirectories(dump);
            for (Map.Entry<String, ObjectNode> e : check.documents.entrySet()) {
                String[] gvk = e.getKey().split("/");
                String kind = gvk[gvk.length - 1].toLowerCase();
                String version = gvk[gvk.length - 2];
                String group = gvk.length == 3 ? "-" + gvk[0].split("\\.")[0] : "";
                JSON.writeValue(dump.resolve(kind + group + "-" + version + ".json").toFile(), e.getValue());
            }
        }
        System.out.printf("schema: %d file(s), %d objects, %d failed expectation(s); Kubernetes %s (client-java-api"
                + " 21.0.2), monitoring.coreos.com/v1 (fabric8 7.4.0)%n", files, objects, failed, KUBERNETES_VERSION);
        System.exit(failed == 0 ? 0 : 1);
    }

    int validateFile(File file, List<String> errors) throws Exception {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(file)) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if ("List".equals(node.path("kind").asText()) && node.has("items")) {
                    node.get("items").forEach(objects::add);
                } else {
                    objects.add(node);
                }
            }
        }
        for (JsonNode object : objects) {
            String apiVersion = object.path("apiVersion").asText("");
            String kind = object.path("kind").asText("");
            String where = kind + "/" + object.path("metadata").path("name").asText("?");
            JsonSchema schema;
            try {
                schema = schemaFor(apiVersion, kind);
            } catch (IllegalArgumentException e) {
                errors.add(where + ": " + e.getMessage());
                continue;
            }
            Set<String> messages = new TreeSet<>();
            for (ValidationMessage message : schema.validate(object)) {
                messages.add(message.getMessage());
            }
            messages.forEach(m -> errors.add(where + ": " + m));
        }
        return objects.size();
    }

    JsonSchema schemaFor(String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        JsonSchema schema = compiled.get(key);
        if (schema != null) {
            return schema;
        }
        String className = MODELS.get(key);
        if (className == null) {
            throw new IllegalArgumentException("no schema for apiVersion " + apiVersion + " kind " + kind
                    + " (a kind this check does not know; add it to SchemaCheck.MODELS)");
        }
        Class<?> model;
        try {
            model = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("model class " + className + " not found for " + key);
        }
        Generator generator = new Generator();
        ObjectNode root = NODES.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("description", key + ": strict schema (Kubernetes " + KUBERNETES_VERSION + " models)");
        ArrayNode allOf = root.putArray("allOf");
        allOf.add(generator.schemaOf(model));
        ObjectNode header = allOf.addObject();
        header.putArray("required").add("apiVersion").add("kind");
        ObjectNode properties = header.putObject("properties");
        properties.putObject("apiVersion").put("const", apiVersion);
        properties.putObject("kind").put("const", kind);
        root.set("definitions", generator.definitions);
        documents.put(key, root);
        schema = factory.getSchema(root);
        compiled.put(key, schema);
        return schema;
    }

    /** JSON schema of model classes, found by reflection: Gson names (client-java) or Jackson names (fabric8). */
    static final class Generator {
        final ObjectNode definitions = NODES.objectNode();

        JsonNode schemaOf(Type type) {
            if (type instanceof WildcardType wildcard) {
                return schemaOf(wildcard.getUpperBounds()[0]);
            }
            if (type instanceof ParameterizedType parameterized) {
                Class<?> raw = (Class<?>) parameterized.getRawType();
                Type[] args = parameterized.getActualTypeArguments();
                if (Collection.class.isAssignableFrom(raw)) {
                    ObjectNode array = typed("array");
                    array.set("items", schemaOf(args[0]));
                    return array;
                }
                if (Map.class.isAssignableFrom(raw)) {
                    ObjectNode map = typed("object");
                    map.set("additionalProperties", schemaOf(args[1]));
                    return map;
                }
                return schemaOf(raw);
            }
            Class<?> c = (Class<?>) type;
            String name = c.getSimpleName();
            if (c == String.class || c == Character.class || c == char.class || c == byte[].class
                    || Temporal.class.isAssignableFrom(c) || Date.class.isAssignableFrom(c)) {
                return typed("string");
            }
            if (c == Integer.class || c == int.class || c == Long.class || c == long.class || c == Short.class
                    || c == short.class || c == java.math.BigInteger.class) {
                return typed("integer");
            }
            if (c == Double.class || c == double.class || c == Float.class || c == float.class
                    || Number.class.isAssignableFrom(c)) {
                return typed("number");
            }
            if (c == Boolean.class || c == boolean.class) {
                return typed("boolean");
            }
            if (c.isEnum()) {
                return typed("string");
            }
            if (name.equals("IntOrString")) {
                return typed("integer", "string");
            }
            if (name.equals("Quantity")) {
                return typed("string", "number").put("pattern", QUANTITY);
            }
            if (c == Object.class || JsonNode.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c)
                    || name.equals("V1Patch") || name.equals("AnyType") || name.equals("RawExtension")) {
                return NODES.objectNode(); // any value
            }
            if (c.getName().startsWith("java.")) {
                throw new IllegalStateException("no schema mapping for " + c.getName());
            }
            String id = c.getName().replace('$', '.');
            if (!definitions.has(id)) {
                ObjectNode definition = typed("object");
                definitions.set(id, definition); // before the fields: models refer to themselves
                ObjectNode properties = definition.putObject("properties");
                for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Field field : k.getDeclaredFields()) {
                        String property = propertyName(field);
                        if (property != null && !properties.has(property)) {
                            properties.set(property, schemaOf(field.getGenericType()));
                        }
                    }
                }
                definition.put("additionalProperties", false);
                Set<String> required = requiredOf(c);
                CrdRule crd = CRD.get(c.getName());
                if (crd != null) {
                    required.addAll(crd.required());
                    crd.patterns().forEach((property, pattern) -> {
                        if (!properties.has(property)) {
                            throw new IllegalStateException(c.getName() + " has no property " + property);
                        }
                        ((ObjectNode) properties.get(property)).put("pattern", pattern);
                    });
                }
                if (!required.isEmpty()) {
                    ArrayNode list = definition.putArray("required");
                    required.forEach(list::add);
                }
            }
            return NODES.objectNode().put("$ref", "#/definitions/" + id);
        }

        static String propertyName(Field field) {
            if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()
                    || field.isAnnotationPresent(JsonIgnore.class)) {
                return null;
            }
            SerializedName gson = field.getAnnotation(SerializedName.class);
            if (gson != null) {
                return gson.value();
            }
            JsonProperty jackson = field.getAnnotation(JsonProperty.class);
            if (jackson != null && !jackson.value().isEmpty()) {
                return jackson.value();
            }
            return null;
        }

        /** client-java lists the spec's required fields in a static {@code openapiRequiredFields}. */
        @SuppressWarnings("unchecked")
        static Set<String> requiredOf(Class<?> c) {
            try {
                Field field = c.getDeclaredField("openapiRequiredFields");
                return new TreeSet<>((Collection<String>) field.get(null));
            } catch (NoSuchFieldException e) {
                return new LinkedHashSet<>();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        static ObjectNode typed(String... types) {
            ObjectNode node = NODES.objectNode();
            ArrayNode list = node.putArray("type");
            for (String type : types) {
                list.add(type);
            }
            list.add("null");
            return node;
        }
    }
}
