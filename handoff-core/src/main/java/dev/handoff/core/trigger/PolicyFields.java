package dev.handoff.core.trigger;

import static dev.handoff.core.trigger.PolicyLoader.shown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Priority;
import dev.handoff.api.Violation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Typed field reads over one node of a policy document's YAML tree (strings, lists, booleans, bounded numbers,
 * priorities, durations, sections and unknown-field checks). A read that finds a bad value records a {@link Violation}
 * and returns the default, so one pass reports every problem. The section readers extend this class and share one
 * violation list per {@link PolicyLoader#load} call; instances are single-use and not thread-safe.
 */
class PolicyFields {
    final List<Violation> violations;

    /** Reads that record their violations in {@code violations} (shared with the other readers of the same load). */
    PolicyFields(List<Violation> violations) {
        this.violations = violations;
    }

    void bad(String path, Object value, String expected) {
        violations.add(new Violation(path, value, expected));
    }

    static <E extends Enum<E>> boolean isEnum(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    ObjectNode section(ObjectNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            bad("$." + name, shown(n), "a mapping");
            return JsonNodeFactory.instance.objectNode();
        }
        return (ObjectNode) n;
    }

    void unknown(ObjectNode n, String path, List<String> known) {
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                bad(path + "." + f, shown(n.get(f)), "a known field, one of " + known);
            }
        });
    }

    String string(ObjectNode n, String path, String f, String def) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            bad(path + "." + f, shown(v), "a non-blank string");
            return def;
        }
        return v.textValue().strip();
    }

    List<String> strings(ObjectNode n, String path, String f) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            bad(path + "." + f, shown(v), "a list of strings");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() || e.textValue().isBlank()) {
                bad(path + "." + f + "[" + i + "]", shown(e), "a non-blank string");
            } else {
                out.add(e.textValue().strip());
            }
        }
        return out;
    }

    boolean bool(ObjectNode n, String path, String f, boolean def) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isBoolean()) {
            bad(path + "." + f, shown(v), "true or false");
            return def;
        }
        return v.booleanValue();
    }

    double number(ObjectNode n, String path, String f, double def, double min, double max) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            bad(path + "." + f, shown(v), max >= 1e15 ? "a number of at least " + min : "a number from " + min + " to " + max);
            return def;
        }
        return v.asDouble();
    }

    int integer(ObjectNode n, String path, String f, int def, int min, int max) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            bad(path + "." + f, shown(v), "an integer from " + min + " to " + max);
            return def;
        }
        return v.intValue();
    }

    Priority priority(ObjectNode n, String path, String f, Priority def) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isTextual() || !isEnum(Priority.class, v.textValue())) {
            bad(path + "." + f, shown(v), "one of " + Arrays.toString(Priority.values()));
            return def;
        }
        return Priority.valueOf(v.textValue());
    }

    Duration duration(ObjectNode n, String path, String f, Duration def) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return def;
        }
        try {
            Duration d = Duration.parse(v.asText().toUpperCase(Locale.ROOT));
            if (!v.isTextual() || d.isNegative() || d.isZero()) {
                throw new DateTimeParseException("not positive", v.asText(), 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            bad(path + "." + f, shown(v), "a positive ISO-8601 duration such as PT20M or P7D");
            return def;
        }
    }
}
