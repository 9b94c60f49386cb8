package dev.handoff.codecs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what a platform sent, collecting every problem as a {@link Violation} (JSON path, value, expectation) and
 * throwing one {@link ValidationException} naming them all. Fields it is not asked about are ignored, so a platform
 * that adds fields never breaks a parser. Values in messages are stripped of control characters and shortened.
 *
 * <p>One instance per payload; not thread-safe.
 */
public final class Input {

    /** Writes and reads platform JSON (insertion order kept for objects). */
    public static final ObjectMapper MAPPER = dev.handoff.core.json.ContextJson.newMapper();

    private final String subject;
    private final List<Violation> violations = new ArrayList<>();

    public Input(String subject) {
        this.subject = subject;
    }

    /**
     * Parses a JSON object.
     *
     * @throws ValidationException at once when the text is missing, not JSON, or not an object
     */
    public JsonNode object(String json) {
        if (json == null || json.isBlank()) {
            throw new ValidationException(subject, List.of(new Violation("$", json == null ? null : "", "a JSON object")));
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new ValidationException(subject, List.of(new Violation("$", Texts.clean(json),
                    "valid JSON (" + Texts.clean(e.getOriginalMessage()) + (where == null ? "" : " at line " + where.getLineNr()
                            + ", column " + where.getColumnNr()) + ")")));
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException(subject, List.of(new Violation("$", root == null ? null : root.getNodeType().name().toLowerCase(),
                    "a JSON object")));
        }
        return root;
    }

    /** A required string at a dotted path ({@code "value.state"}); null (and a violation) when absent or not a string. */
    public String text(JsonNode root, String path) {
        JsonNode n = at(root, path);
        if (n == null || n.isNull() || n.isMissingNode()) {
            violations.add(new Violation("$." + path, null, "a string"));
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            violations.add(new Violation("$." + path, shown(n), "a non-empty string"));
            return null;
        }
        return n.asText();
    }

    /** A required string or number (platform ids come as either), as text. */
    public String id(JsonNode root, String path) {
        JsonNode n = at(root, path);
        if (n != null && (n.isIntegralNumber() || (n.isTextual() && !n.asText().isBlank()))) {
            return n.asText();
        }
        violations.add(new Violation("$." + path, n == null || n.isMissingNode() ? null : shown(n), "a string or integer id"));
        return null;
    }

    /** An optional string; null when absent or null; a violation when present with another type. */
    public String optionalText(JsonNode root, String path) {
        JsonNode n = at(root, path);
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isNumber() || n.isBoolean()) {
            return n.asText();
        }
        violations.add(new Violation("$." + path, shown(n), "a string"));
        return null;
    }

    /** A required string that must be one of {@code allowed}. */
    public String oneOf(JsonNode root, String path, Set<String> allowed) {
        String s = text(root, path);
        if (s != null && !allowed.contains(s)) {
            violations.add(new Violation("$." + path, Texts.clean(s), "one of " + new TreeSet<>(allowed)));
            return null;
        }
        return s;
    }

    /** A required string that must equal {@code expected}. */
    public String exactly(JsonNode root, String path, String expected) {
        String s = text(root, path);
        if (s != null && !s.equals(expected)) {
            violations.add(new Violation("$." + path, Texts.clean(s), "\"" + expected + "\""));
            return null;
        }
        return s;
    }

    /** A required form parameter (an {@code application/x-www-form-urlencoded} callback). */
    public String param(Map<String, String> form, String name) {
        String v = form.get(name);
        if (v == null || v.isBlank()) {
            violations.add(new Violation(name, v, "a non-empty form parameter"));
            return null;
        }
        return v;
    }

    /** Records a violation found by the caller. */
    public void fail(String path, Object value, String expected) {
        violations.add(new Violation(path, value instanceof String s ? Texts.clean(s) : value, expected));
    }

    /** @throws ValidationException naming every violation recorded, if any */
    public void check() {
        if (!violations.isEmpty()) {
            throw new ValidationException(subject, violations);
        }
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }

    private static Object shown(JsonNode n) {
        return n.isTextual() ? Texts.clean(n.asText()) : n.getNodeType().name().toLowerCase();
    }

    /**
     * A platform's value as returned to callers: control characters removed, at most 1,000 characters (ids and
     * reasons are far shorter; anything longer is not what the platform documents).
     */
    public static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replaceAll("\\p{Cntrl}", "");
        return t.length() <= 1000 ? t : t.substring(0, 999) + "…";
    }
}
