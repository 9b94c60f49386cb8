package dev.handoff.crm.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A declarative map from handoff-context paths to CRM fields, with type conversion and defaults.
 *
 * <pre>{@code
 * fields:
 *   - from: $.customer.fields.email          # a path into handoff.context/v1
 *     to: email                              # the CRM field
 *   - from: $.metadata.priority
 *     to: hs_ticket_priority
 *     default: MEDIUM
 *   - from: $.semanticLedger.bant.budget.amount
 *     to: amount
 *     type: decimal                          # string (default), integer, decimal, boolean, datetime,
 *                                            # epoch_millis, date, json
 *   - from: $.transcript[0].timestamp
 *     to: first_contact
 *     type: epoch_millis
 *     required: true                         # a missing value fails the push instead of being left out
 * }</pre>
 *
 * <p>Paths are {@code $} followed by {@code .name} and {@code [index]} steps. Every path is checked at load
 * against the context's record structure, so a typo ({@code $.customer.feilds.email}) or a conversion that can
 * never work (a timestamp to {@code boolean}) is rejected with a {@link ValidationException} that names the
 * mapping entry and the path. Values are read from the canonical JSON ({@link ContextJson}); a missing or null
 * value takes the default, else is left out, or fails when {@code required}.
 *
 * <p>Immutable and thread-safe.
 */
public final class FieldMapping {

    /**
     * One mapped field.
     *
     * @param from         the context path
     * @param to           the CRM field name
     * @param type         the conversion
     * @param defaultValue nullable; used when the path has no value (already converted)
     * @param required     whether a missing value without a default fails the push
     */
    public record Rule(String from, String to, FieldType type, JsonNode defaultValue, boolean required) {
        public Rule {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(type, "type");
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory EXACT = JsonNodeFactory.instance;
    private static final Set<String> KEYS = Set.of("from", "to", "type", "default", "required");

    private final List<Rule> rules;
    private final List<ContextPath> paths;

    private FieldMapping(List<Rule> rules, List<ContextPath> paths) {
        this.rules = List.copyOf(rules);
        this.paths = List.copyOf(paths);
    }

    /** A mapping with no fields. */
    public static FieldMapping empty() {
        return new FieldMapping(List.of(), List.of());
    }

    /** Loads a JSON mapping. @throws ValidationException listing every bad entry */
    public static FieldMapping fromJson(String json) {
        return parse(json, ContextJson.get().mapper(), "JSON");
    }

    /** Loads a YAML mapping. @throws ValidationException listing every bad entry */
    public static FieldMapping fromYaml(String yaml) {
        return parse(yaml, YAML, "YAML");
    }

    /** Loads a file: {@code .json} as JSON, {@code .yaml}/{@code .yml} as YAML. */
    public static FieldMapping load(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NonRetriableHandoffException("Cannot read field mapping " + file + ": " + e.getMessage(), e);
        }
        if (name.endsWith(".json")) {
            return fromJson(text);
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return fromYaml(text);
        }
        throw new ValidationException("field mapping", List.of(new Violation("file", file.toString(),
                "a name ending in .json, .yaml or .yml")));
    }

    private static FieldMapping parse(String text, ObjectMapper mapper, String format) {
        Objects.requireNonNull(text, "text");
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ValidationException("field mapping", List.of(new Violation("$", null,
                    "a " + format + " document (" + e.getOriginalMessage() + ")")), e);
        }
        List<Violation> violations = new ArrayList<>();
        if (root == null || !root.isObject() || !root.path("fields").isArray()) {
            throw new ValidationException("field mapping", List.of(new Violation("fields", root == null ? null : root.path("fields").toString(),
                    "an array of {from, to, type, default, required} entries")));
        }
        List<Rule> rules = new ArrayList<>();
        List<ContextPath> paths = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        int i = 0;
        for (JsonNode entry : root.path("fields")) {
            String at = "fields[" + i++ + "]";
            if (!entry.isObject()) {
                violations.add(new Violation(at, entry.toString(), "an object with from and to"));
                continue;
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (!KEYS.contains(key)) {
                    violations.add(new Violation(at + "." + key, entry.get(key).toString(), "one of " + KEYS.stream().sorted().toList()));
                }
            }
            int before = violations.size();
            String from = text(entry, "from");
            String to = text(entry, "to");
            if (to == null || to.isBlank()) {
                violations.add(new Violation(at + ".to", to, "a CRM field name"));
            } else if (!targets.add(to)) {
                violations.add(new Violation(at + ".to", to, "a field name not mapped by an earlier entry"));
            }
            FieldType type = FieldType.STRING;
            if (entry.has("type")) {
                String id = entry.path("type").asText();
                type = FieldType.parse(id).orElse(null);
                if (type == null) {
                    violations.add(new Violation(at + ".type", id, "one of " + FieldType.ids()));
                }
            }
            boolean required = false;
            if (entry.has("required")) {
                if (!entry.get("required").isBoolean()) {
                    violations.add(new Violation(at + ".required", entry.get("required").toString(), "true or false"));
                } else {
                    required = entry.get("required").booleanValue();
                }
            }
            ContextPath path = null;
            if (from == null || from.isBlank()) {
                violations.add(new Violation(at + ".from", from, "a context path such as $.customer.fields.email"));
            } else {
                try {
                    path = ContextPath.compile(from);
                    if (type != null && !path.leaf().accepts(type)) {
                        violations.add(new Violation(at + ".type", type.id(), "a type that " + from + " (" + path.leaf().description()
                                + ") converts to: one of " + path.leaf().acceptedIds()));
                    }
                } catch (IllegalArgumentException e) {
                    violations.add(new Violation(at + ".from", from, e.getMessage()));
                }
            }
            JsonNode defaultValue = null;
            if (entry.has("default") && !entry.get("default").isNull() && type != null) {
                try {
                    defaultValue = convert(entry.get("default"), type);
                } catch (IllegalArgumentException e) {
                    violations.add(new Violation(at + ".default", entry.get("default").toString(), e.getMessage()));
                }
            }
            if (violations.size() == before) {
                rules.add(new Rule(from, to, type, defaultValue, required));
                paths.add(path);
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException("field mapping", violations);
        }
        return new FieldMapping(rules, paths);
    }

    private static String text(JsonNode entry, String key) {
        JsonNode v = entry.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The rules, in file order. */
    public List<Rule> rules() {
        return rules;
    }

    /** True when the mapping has no rule (the webhook adapter then sends the whole context document as it is). */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * The mapped fields of this context, in rule order.
     *
     * @throws NonRetriableHandoffException when a required value is missing or a value cannot be converted,
     *                                      naming the rule's path and the value
     */
    public ObjectNode apply(HandoffContext context) {
        return apply(ContextJson.get().mapper().valueToTree(context));
    }

    /** {@link #apply(HandoffContext)} on an already serialised context. */
    public ObjectNode apply(JsonNode contextTree) {
        ObjectNode out = EXACT.objectNode();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            JsonNode value = paths.get(i).read(contextTree);
            if (value == null || value.isNull() || value.isMissingNode()) {
                if (rule.defaultValue() != null) {
                    out.set(rule.to(), rule.defaultValue());
                } else if (rule.required()) {
                    throw new NonRetriableHandoffException("Field mapping: " + rule.from() + " has no value and no default, but "
                            + rule.to() + " is required");
                }
                continue;
            }
            try {
                out.set(rule.to(), convert(value, rule.type()));
            } catch (IllegalArgumentException e) {
                throw new NonRetriableHandoffException("Field mapping: " + rule.from() + " = " + cut(value.toString()) + " cannot go to "
                        + rule.to() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** The mapped fields as plain Java values (String, Long, BigDecimal, Boolean, or a JSON tree for {@code json}). */
    public Map<String, Object> applyAsMap(HandoffContext context) {
        Map<String, Object> out = new LinkedHashMap<>();
        apply(context).fields().forEachRemaining(e -> out.put(e.getKey(), plain(e.getValue())));
        return out;
    }

    private static Object plain(JsonNode n) {
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return n;
    }

    static JsonNode convert(JsonNode v, FieldType type) {
        JsonNodeFactory f = EXACT;
        switch (type) {
            case STRING:
                return f.textNode(v.isValueNode() ? v.asText() : v.toString());
            case JSON:
                return v;
            case BOOLEAN:
                if (v.isBoolean()) {
                    return v;
                }
                if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
                    return f.booleanNode(Boolean.parseBoolean(v.asText()));
                }
                throw new IllegalArgumentException("expected true or false");
            case INTEGER: {
                BigDecimal d = decimal(v);
                try {
                    return f.numberNode(d.longValueExact());
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("expected a whole number that fits 64 bits");
                }
            }
            case DECIMAL:
                return f.numberNode(decimal(v));
            case DATETIME:
                return f.textNode(instant(v).toString());
            case EPOCH_MILLIS:
                return f.numberNode(instant(v).toEpochMilli());
            case DATE:
                return f.textNode(instant(v).atOffset(ZoneOffset.UTC).toLocalDate().toString());
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static BigDecimal decimal(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual()) {
            try {
                return new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number");
            }
        }
        throw new IllegalArgumentException("expected a number");
    }

    private static Instant instant(JsonNode v) {
        if (v.isTextual()) {
            try {
                return Instant.parse(v.asText().trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("expected an ISO-8601 instant such as 2026-03-04T15:00:00Z");
            }
        }
        throw new IllegalArgumentException("expected an ISO-8601 instant such as 2026-03-04T15:00:00Z");
    }

    private static String cut(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    @Override
    public String toString() {
        return "FieldMapping" + rules.stream().map(r -> r.from() + "->" + r.to()).toList();
    }
}
