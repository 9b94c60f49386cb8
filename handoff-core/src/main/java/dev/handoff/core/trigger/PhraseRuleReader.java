package dev.handoff.core.trigger;

import static dev.handoff.core.trigger.PolicyLoader.MAX_PHRASES;
import static dev.handoff.core.trigger.PolicyLoader.expand;
import static dev.handoff.core.trigger.PolicyLoader.shown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Priority;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code phraseRules} list of a merged policy document: each rule's fields, its speakers and its
 * {@code phrases}/{@code alone}/{@code except} lists, expanding {@code {a|b}} templates and enforcing
 * {@link PolicyLoader#MAX_PHRASES} over the whole policy (the running total lives in this instance, so use one reader
 * per load). Collects violations instead of stopping at the first; not thread-safe.
 */
final class PhraseRuleReader extends PolicyFields {
    /** Phrases after expansion read so far in this policy, against {@link PolicyLoader#MAX_PHRASES}. */
    private int phraseTotal;
    private boolean phraseCapReported;

    PhraseRuleReader(List<Violation> violations) {
        super(violations);
    }

    List<TriggerPolicy.PhraseRule> phraseRules(ObjectNode root) {
        JsonNode list = root.get("phraseRules");
        List<TriggerPolicy.PhraseRule> rules = new ArrayList<>();
        if (list == null || list.isNull()) {
            return rules;
        }
        if (!list.isArray()) {
            bad("$.phraseRules", shown(list), "a list of phrase rules");
            return rules;
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "$.phraseRules[" + i + "]";
            JsonNode node = list.get(i);
            if (!node.isObject()) {
                bad(path, shown(node), "a mapping with id, kind and phrases");
                continue;
            }
            ObjectNode r = (ObjectNode) node;
            unknown(r, path, List.of("id", "kind", "enabled", "description", "priority", "routeHint", "negatable",
                    "speakers", "profile", "phrases", "alone", "except", "with", "whenNegative", "language"));
            String id = string(r, path, "id", null);
            if (id == null && !r.has("id")) {
                bad(path + ".id", null, "a non-blank rule id");
            } else if (id != null && seen.containsKey(id)) {
                bad(path + ".id", id, "an id not used by an earlier rule (" + seen.get(id) + ")");
            } else if (id != null) {
                seen.put(id, path);
            }
            TriggerKind kind = null;
            JsonNode k = r.get("kind");
            if (k == null || !k.isTextual() || !isEnum(TriggerKind.class, k.textValue())) {
                bad(path + ".kind", shown(k), "one of " + Arrays.toString(TriggerKind.values()));
            } else {
                kind = TriggerKind.valueOf(k.textValue());
            }
            boolean kill = kind == TriggerKind.KILL_SWITCH;
            boolean enabled = bool(r, path, "enabled", true);
            String description = string(r, path, "description", id == null ? "A phrase rule fired" : "Rule " + id + " fired");
            Priority priority = priority(r, path, "priority", kill ? Priority.URGENT : Priority.NORMAL);
            String routeHint = string(r, path, "routeHint", null);
            boolean negatable = bool(r, path, "negatable", !kill);
            Set<Speaker> speakers = speakers(r, path);
            String profile = string(r, path, "profile", null);
            boolean whenNegative = bool(r, path, "whenNegative", false);
            String language = string(r, path, "language", null);
            if (language != null && !language.matches("[a-z]{2}")) {
                bad(path + ".language", language, "an ISO 639-1 language code such as es or fr");
                language = null;
            }
            boolean hasAlone = r.has("alone") && !r.get("alone").isNull();
            List<String> phrases = r.has("phrases") || !hasAlone ? phrases(r, path, "phrases", true) : List.of();
            List<String> alone = hasAlone ? phrases(r, path, "alone", true) : List.of();
            List<String> except = r.has("except") ? phrases(r, path, "except", true) : List.of();
            List<String> with = r.has("with") ? phrases(r, path, "with", true) : List.of();
            if (id != null && kind != null) {
                rules.add(new TriggerPolicy.PhraseRule(id, kind, enabled, description, priority, routeHint, negatable,
                        speakers, profile, phrases, alone, except, with, whenNegative, language));
            }
        }
        return rules;
    }

    private List<String> phrases(ObjectNode r, String path, String field, boolean required) {
        JsonNode list = r.get(field);
        if (list == null || !list.isArray() || list.isEmpty()) {
            if (required) {
                bad(path + "." + field, shown(list), "a non-empty list of phrases");
            }
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int j = 0; j < list.size(); j++) {
            if (phraseCapReported) {
                break;
            }
            String at = path + "." + field + "[" + j + "]";
            JsonNode p = list.get(j);
            if (!p.isTextual()) {
                bad(at, shown(p), "a phrase (a string)");
                continue;
            }
            List<String> expanded;
            try {
                expanded = expand(p.textValue());
            } catch (IllegalArgumentException e) {
                bad(at, p.textValue(), e.getMessage());
                continue;
            }
            if (phraseTotal + expanded.size() > MAX_PHRASES) {
                phraseCapReported = true;
                bad(at, phraseTotal + expanded.size() + " phrases so far",
                        "at most " + MAX_PHRASES + " phrases in the whole policy after expanding {a|b} templates");
                break;
            }
            phraseTotal += expanded.size();
            for (String phrase : expanded) {
                if (!hasWordChar(phrase)) {
                    bad(at, p.textValue(), "a phrase with at least one letter or digit"
                            + (expanded.size() > 1 ? " in every alternative" : ""));
                    break;
                }
                String stripped = phrase.strip();
                int star = stripped.indexOf('*');
                if (star >= 0 && star < stripped.length() - 1) {
                    bad(at, p.textValue(), "a * only at the end of a phrase (it matches a word prefix there)"
                            + (expanded.size() > 1 ? " in every alternative" : ""));
                    break;
                }
                out.add(collapse(phrase));
            }
        }
        return new ArrayList<>(out);
    }

    private static boolean hasWordChar(String phrase) {
        for (int i = 0; i < phrase.length(); i++) {
            if (dev.handoff.core.text.Normalizer.isWordChar(phrase.codePointAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Strips and collapses runs of whitespace to one space. */
    private static String collapse(String phrase) {
        StringBuilder b = new StringBuilder(phrase.length());
        boolean space = false;
        for (int i = 0; i < phrase.length(); i++) {
            char c = phrase.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    private Set<Speaker> speakers(ObjectNode r, String path) {
        JsonNode list = r.get("speakers");
        if (list == null || list.isNull()) {
            return EnumSet.of(Speaker.CUSTOMER);
        }
        Set<Speaker> out = EnumSet.noneOf(Speaker.class);
        if (!list.isArray() || list.isEmpty()) {
            bad(path + ".speakers", shown(list), "a non-empty list, each one of " + Arrays.toString(Speaker.values()));
            return EnumSet.of(Speaker.CUSTOMER);
        }
        for (int j = 0; j < list.size(); j++) {
            JsonNode v = list.get(j);
            if (v.isTextual() && isEnum(Speaker.class, v.textValue())) {
                out.add(Speaker.valueOf(v.textValue()));
            } else {
                bad(path + ".speakers[" + j + "]", shown(v), "one of " + Arrays.toString(Speaker.values()));
            }
        }
        return out.isEmpty() ? EnumSet.of(Speaker.CUSTOMER) : out;
    }

}
