package dev.handoff.crm.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled path into the canonical context JSON, checked against the {@link HandoffContext} record structure.
 * Package-private: {@link FieldMapping} is the public face.
 */
final class ContextPath {

    /** What a path ends on, and which field types can be made from it. */
    enum Leaf {
        TEXT("text", EnumSet.allOf(FieldType.class)),
        NUMBER("a number", EnumSet.of(FieldType.STRING, FieldType.INTEGER, FieldType.DECIMAL, FieldType.JSON)),
        BOOLEAN("true/false", EnumSet.of(FieldType.STRING, FieldType.BOOLEAN, FieldType.JSON)),
        INSTANT("an instant", EnumSet.of(FieldType.STRING, FieldType.DATETIME, FieldType.EPOCH_MILLIS, FieldType.DATE, FieldType.JSON)),
        ENUM("a name from a fixed list", EnumSet.of(FieldType.STRING, FieldType.JSON)),
        STRUCTURE("an object or array", EnumSet.of(FieldType.STRING, FieldType.JSON));

        private final String description;
        private final Set<FieldType> accepted;

        Leaf(String description, Set<FieldType> accepted) {
            this.description = description;
            this.accepted = accepted;
        }

        boolean accepts(FieldType type) {
            return accepted.contains(type);
        }

        String description() {
            return description;
        }

        List<String> acceptedIds() {
            return accepted.stream().map(FieldType::id).toList();
        }
    }

    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_\\-]*)|\\[(\\d{1,6})]");

    /** A step: a field name, or an index when name is null. */
    private record Step(String name, int index) {
    }

    private final List<Step> steps;
    private final Leaf leaf;

    private ContextPath(List<Step> steps, Leaf leaf) {
        this.steps = steps;
        this.leaf = leaf;
    }

    Leaf leaf() {
        return leaf;
    }

    /** @throws IllegalArgumentException with the expectation, for a {@code Violation} */
    static ContextPath compile(String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("a path starting with $ (such as $.customer.fields.email)");
        }
        List<Step> steps = new ArrayList<>();
        Matcher m = STEP.matcher(path);
        int pos = 1;
        while (pos < path.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("a path of .name and [index] steps; cannot read from \"" + path.substring(pos) + "\"");
            }
            steps.add(m.group(1) != null ? new Step(m.group(1), -1) : new Step(null, Integer.parseInt(m.group(2))));
            pos = m.end();
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a path to a value inside the context, not $ itself");
        }
        Type type = HandoffContext.class;
        StringBuilder walked = new StringBuilder("$");
        for (Step step : steps) {
            Class<?> raw = raw(type);
            if (step.name() == null) {
                if (!List.class.isAssignableFrom(raw)) {
                    throw new IllegalArgumentException("an index only after a list; " + walked + " is " + describe(type));
                }
                type = typeArgument(type, 0);
                walked.append('[').append(step.index()).append(']');
            } else if (Map.class.isAssignableFrom(raw)) {
                type = typeArgument(type, 1);
                walked.append('.').append(step.name());
            } else if (raw.isRecord() && raw != SessionId.class) {
                RecordComponent component = Arrays.stream(raw.getRecordComponents())
                        .filter(c -> c.getName().equals(step.name()) && !c.getName().equals("extensions"))
                        .findFirst().orElse(null);
                if (component == null) {
                    throw new IllegalArgumentException("a field of " + walked + ", one of " + Arrays.stream(raw.getRecordComponents())
                            .map(RecordComponent::getName).filter(n -> !n.equals("extensions")).toList());
                }
                type = component.getGenericType();
                walked.append('.').append(step.name());
            } else {
                throw new IllegalArgumentException("a path that ends at " + walked + " (" + describe(type) + "), which has no fields");
            }
        }
        return new ContextPath(List.copyOf(steps), leafOf(type));
    }

    JsonNode read(JsonNode root) {
        JsonNode node = root;
        for (Step step : steps) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            node = step.name() != null ? node.get(step.name()) : node.get(step.index());
        }
        return node;
    }

    private static Leaf leafOf(Type type) {
        Class<?> raw = raw(type);
        if (raw == String.class || raw == SessionId.class) {
            return Leaf.TEXT;
        }
        if (raw == Instant.class) {
            return Leaf.INSTANT;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return Leaf.BOOLEAN;
        }
        if (raw.isPrimitive() || Number.class.isAssignableFrom(raw) || raw == BigDecimal.class || raw == BigInteger.class) {
            return Leaf.NUMBER;
        }
        if (raw.isEnum()) {
            return Leaf.ENUM;
        }
        return Leaf.STRUCTURE;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int i) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    private static String describe(Type type) {
        Class<?> raw = raw(type);
        if (List.class.isAssignableFrom(raw)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(raw)) {
            return "a map";
        }
        return leafOf(type).description();
    }
}
