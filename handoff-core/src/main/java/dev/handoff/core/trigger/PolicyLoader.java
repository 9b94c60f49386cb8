package dev.handoff.core.trigger;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads, merges ({@code extends}) and validates trigger policy documents, collecting every violation; the entry point
 * for {@link TriggerPolicy}'s factories and the home of the policy limits. {@link #load} checks size and YAML safety,
 * parses, then has {@link PolicyMerger} resolve {@code extends} and {@code packs}, and {@link PolicySections} (with
 * {@link PhraseRuleReader}) read the sections; all three share one violation list per call. Thread-safe: every load
 * uses fresh readers, and presets are cached in a concurrent map.
 */
final class PolicyLoader {

    static final String SUBJECT = "trigger policy";
    /** At most this many phrases come out of one {@code {a|b}} template. */
    static final int MAX_EXPANSIONS = 1000;
    /**
     * At most this many phrases after expansion in a whole policy, a policy that extends the default included (the
     * default with its language packs has about 17,700, 2026-12-04; {@code PolicyLimitsTest} keeps 2,000 free).
     */
    static final int MAX_PHRASES = 20_000;
    /** At most this many characters in a policy document. */
    static final int MAX_DOCUMENT_CHARS = 1_000_000;
    /** At most this many cells (4 bytes each) in the compiled automaton's dense table: 32 MB. */
    static final long MAX_AUTOMATON_CELLS = 8_000_000;
    static final Set<String> CURRENCIES = Set.copyOf(dev.handoff.core.text.Currencies.CODES);

    /** Shared by the loader and {@link PolicyMerger}; only {@code readTree} is used, which is thread-safe. */
    static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<Preset, TriggerPolicy> PRESETS = new ConcurrentHashMap<>();
    /** The language packs shipped as policy fragments (resources {@code pack-<name>.yaml}). */
    static final List<String> PACKS = List.of("es", "fr");

    private PolicyLoader() {
    }

    static TriggerPolicy preset(Preset preset) {
        return PRESETS.computeIfAbsent(preset, p -> load(resource(p.resourceName())));
    }

    static String resource(String name) {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("preset resource " + name + ".yaml is missing from handoff-core");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TriggerPolicy load(String text) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw new ValidationException(SUBJECT, List.of(new Violation("$", text.length() + " characters",
                    "a document of at most " + MAX_DOCUMENT_CHARS + " characters")));
        }
        List<Violation> guard = YamlGuard.check(text);
        if (!guard.isEmpty()) {
            throw new ValidationException(SUBJECT, guard);
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ValidationException(SUBJECT, List.of(new Violation("$", null,
                    "well-formed YAML or JSON (" + e.getOriginalMessage() + where + ")")));
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException(SUBJECT, List.of(new Violation("$", root == null || root.isMissingNode()
                    ? null : shown(root), "a mapping with the policy's sections")));
        }
        List<Violation> violations = new ArrayList<>();
        PolicyMerger merger = new PolicyMerger(violations);
        ObjectNode merged = merger.packs(merger.resolve((ObjectNode) root, 0));
        TriggerPolicy policy = new PolicySections(violations).policy(merged);
        if (!violations.isEmpty()) {
            throw new ValidationException(SUBJECT, violations);
        }
        return policy;
    }

    static Object shown(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.toString();
    }

    /** Expands {@code {a|b}} alternatives. */
    static List<String> expand(String template) {
        List<String> results = new ArrayList<>(List.of(""));
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0 || template.substring(i + 1, close).indexOf('{') >= 0) {
                    throw new IllegalArgumentException("balanced {a|b} alternatives, not nested");
                }
                String[] alternatives = template.substring(i + 1, close).split("\\|", -1);
                if ((long) results.size() * alternatives.length > MAX_EXPANSIONS) {
                    throw new IllegalArgumentException("at most " + MAX_EXPANSIONS + " phrases per template");
                }
                List<String> next = new ArrayList<>(results.size() * alternatives.length);
                for (String r : results) {
                    for (String a : alternatives) {
                        next.add(r + a);
                    }
                }
                if (next.size() > MAX_EXPANSIONS) {
                    throw new IllegalArgumentException("at most " + MAX_EXPANSIONS + " phrases per template");
                }
                results = next;
                i = close + 1;
            } else if (c == '}' || c == '|') {
                throw new IllegalArgumentException("balanced {a|b} alternatives, not nested");
            } else {
                int end = i;
                while (end < template.length() && "{}|".indexOf(template.charAt(end)) < 0) {
                    end++;
                }
                String lit = template.substring(i, end);
                results.replaceAll(r -> r + lit);
                i = end;
            }
        }
        return results;
    }


    static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
    }
}