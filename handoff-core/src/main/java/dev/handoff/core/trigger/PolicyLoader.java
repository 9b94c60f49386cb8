package dev.handoff.core.trigger;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.handoff.api.Priority;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Reads, merges ({@code extends}) and validates trigger policy documents, collecting every violation. */
final class PolicyLoader {

    static final String SUBJECT = "trigger policy";
    /** At most this many phrases come out of one {@code {a|b}} template. */
    static final int MAX_EXPANSIONS = 1000;
    /** At most this many phrases after expansion in a whole policy (the default policy has about 2,600). */
    static final int MAX_PHRASES = 20_000;
    /** At most this many characters in a policy document. */
    static final int MAX_DOCUMENT_CHARS = 1_000_000;
    /** At most this many cells (4 bytes each) in the compiled automaton's dense table: 32 MB. */
    static final long MAX_AUTOMATON_CELLS = 8_000_000;
    static final Set<String> CURRENCIES = Set.copyOf(dev.handoff.core.text.Currencies.CODES);

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<Preset, TriggerPolicy> PRESETS = new ConcurrentHashMap<>();
    private static final List<String> TOP = List.of("name", "extends", "packs", "profiles", "confidence", "sentiment",
            "complex", "loop", "sales", "urgency", "phraseRules", "typoWords");
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
        Reader reader = new Reader();
        ObjectNode merged = reader.packs(reader.resolve((ObjectNode) root, 0));
        TriggerPolicy policy = reader.policy(merged);
        if (!reader.violations.isEmpty()) {
            throw new ValidationException(SUBJECT, reader.violations);
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

    /** One pass over a document; collects violations instead of stopping at the first. */
    private static final class Reader {
        final List<Violation> violations = new ArrayList<>();
        int phraseTotal;
        boolean phraseCapReported;

        /** Adds the phrase rules of the packs named in {@code packs:} (each rule's language defaults to the pack's). */
        ObjectNode packs(ObjectNode doc) {
            JsonNode list = doc.get("packs");
            if (list == null || list.isNull()) {
                return doc;
            }
            if (!list.isArray()) {
                bad("$.packs", shown(list), "a list of language packs, each one of " + PACKS);
                return doc;
            }
            ObjectNode out = doc;
            for (int i = 0; i < list.size(); i++) {
                JsonNode name = list.get(i);
                if (!name.isTextual() || !PACKS.contains(name.textValue())) {
                    bad("$.packs[" + i + "]", shown(name), "one of " + PACKS);
                    continue;
                }
                ObjectNode pack;
                try {
                    pack = (ObjectNode) YAML.readTree(resource("pack-" + name.textValue()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("pack " + name.textValue() + " is not valid YAML", e);
                }
                ArrayNode rules = (ArrayNode) pack.get("phraseRules");
                for (JsonNode r : rules) {
                    if (r.isObject() && !r.has("language")) {
                        ((ObjectNode) r).put("language", name.textValue());
                    }
                }
                JsonNode own = out.get("phraseRules");
                out = out == doc ? doc.deepCopy() : out;
                out.set("phraseRules", own != null && own.isArray() ? mergeRules((ArrayNode) own, rules) : rules);
            }
            return out;
        }

        void bad(String path, Object value, String expected) {
            violations.add(new Violation(path, value, expected));
        }

        ObjectNode resolve(ObjectNode doc, int depth) {
            JsonNode ext = doc.get("extends");
            if (ext == null || ext.isNull()) {
                return doc;
            }
            ObjectNode child = doc.deepCopy();
            child.remove("extends");
            Preset base = ext.isTextual() ? presetNamed(ext.textValue()) : null;
            if (base == null) {
                bad("$.extends", shown(ext), "one of " + Arrays.stream(Preset.values()).map(Preset::resourceName).toList());
                return child;
            }
            if (depth > 4) {
                bad("$.extends", ext.textValue(), "a chain of at most 5 presets");
                return child;
            }
            ObjectNode parent;
            try {
                parent = (ObjectNode) YAML.readTree(resource(base.resourceName()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("preset " + base + " is not valid YAML", e);
            }
            return merge(resolve(parent, depth + 1), child);
        }

        static Preset presetNamed(String name) {
            for (Preset p : Preset.values()) {
                if (p.resourceName().equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) {
                    return p;
                }
            }
            return null;
        }

        /** Deep merge: objects field by field, {@code phraseRules} by id, anything else replaced. */
        static ObjectNode merge(ObjectNode base, ObjectNode over) {
            ObjectNode out = base.deepCopy();
            Iterator<Map.Entry<String, JsonNode>> it = over.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode old = out.get(e.getKey());
                JsonNode now = e.getValue();
                if ("phraseRules".equals(e.getKey()) && old != null && old.isArray() && now.isArray()) {
                    out.set(e.getKey(), mergeRules((ArrayNode) old, (ArrayNode) now));
                } else if (old != null && old.isObject() && now.isObject()) {
                    out.set(e.getKey(), merge((ObjectNode) old, (ObjectNode) now));
                } else {
                    out.set(e.getKey(), now.deepCopy());
                }
            }
            return out;
        }

        static ArrayNode mergeRules(ArrayNode base, ArrayNode over) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            Map<String, Integer> byId = new HashMap<>();
            for (JsonNode r : base) {
                if (r.isObject() && r.path("id").isTextual()) {
                    byId.put(r.get("id").textValue(), out.size());
                }
                out.add(r.deepCopy());
            }
            for (JsonNode r : over) {
                Integer at = r.isObject() && r.path("id").isTextual() ? byId.get(r.get("id").textValue()) : null;
                if (at != null && out.get(at).isObject()) {
                    out.set(at, merge((ObjectNode) out.get(at), (ObjectNode) r));
                } else {
                    out.add(r.deepCopy());
                }
            }
            return out;
        }

        TriggerPolicy policy(ObjectNode root) {
            unknown(root, "$", TOP);
            String name = string(root, "$", "name", "custom");
            Set<String> profiles = new LinkedHashSet<>(strings(root, "$", "profiles"));
            ObjectNode c = section(root, "confidence");
            var confidence = new TriggerPolicy.Confidence(bool(c, "$.confidence", "enabled", true),
                    number(c, "$.confidence", "softThreshold", TriggerPolicy.Confidence.DEFAULT_SOFT_THRESHOLD, 0, 1),
                    integer(c, "$.confidence", "consecutiveTurns", TriggerPolicy.Confidence.DEFAULT_CONSECUTIVE_TURNS, 1, 50),
                    integer(c, "$.confidence", "rollingWindow", TriggerPolicy.Confidence.DEFAULT_ROLLING_WINDOW, 1, 50),
                    number(c, "$.confidence", "hardFloor", TriggerPolicy.Confidence.DEFAULT_HARD_FLOOR, 0, 1),
                    priority(c, "$.confidence", "priority", Priority.NORMAL));
            unknown(c, "$.confidence", List.of("enabled", "softThreshold", "consecutiveTurns", "rollingWindow", "hardFloor", "priority"));
            if (confidence.hardFloor() > confidence.softThreshold() && c.has("hardFloor")) {
                bad("$.confidence.hardFloor", c.get("hardFloor").numberValue(),
                        "at most softThreshold (" + confidence.softThreshold() + ")");
            }
            ObjectNode s = section(root, "sentiment");
            var sentiment = new TriggerPolicy.Sentiment(bool(s, "$.sentiment", "enabled", true),
                    number(s, "$.sentiment", "threshold", TriggerPolicy.Sentiment.DEFAULT_THRESHOLD, -1, 1),
                    integer(s, "$.sentiment", "velocityWindow", TriggerPolicy.Sentiment.DEFAULT_VELOCITY_WINDOW, 2, 20),
                    number(s, "$.sentiment", "velocityThreshold", TriggerPolicy.Sentiment.DEFAULT_VELOCITY_THRESHOLD, -2, 0),
                    priority(s, "$.sentiment", "priority", Priority.HIGH),
                    number(s, "$.sentiment", "velocityFloor", TriggerPolicy.Sentiment.DEFAULT_VELOCITY_FLOOR, -1, 1),
                    number(s, "$.sentiment", "negativeBelow", TriggerPolicy.Sentiment.DEFAULT_NEGATIVE_BELOW, -1, 1),
                    fallback(s));
            unknown(s, "$.sentiment", List.of("enabled", "threshold", "velocityWindow", "velocityThreshold", "priority",
                    "velocityFloor", "negativeBelow", "fallback"));
            ObjectNode x = section(root, "complex");
            var complex = new TriggerPolicy.Complex(bool(x, "$.complex", "enabled", true),
                    new LinkedHashSet<>(strings(x, "$.complex", "intents")),
                    integer(x, "$.complex", "maxIntentsPerTurn", TriggerPolicy.Complex.DEFAULT_MAX_INTENTS_PER_TURN, 1, 100),
                    integer(x, "$.complex", "maxIntentsPerSession", TriggerPolicy.Complex.DEFAULT_MAX_INTENTS_PER_SESSION, 1, 1000),
                    priority(x, "$.complex", "priority", Priority.NORMAL),
                    string(x, "$.complex", "routeHint", null));
            unknown(x, "$.complex", List.of("enabled", "intents", "maxIntentsPerTurn", "maxIntentsPerSession", "priority", "routeHint"));
            ObjectNode l = section(root, "loop");
            var loop = new TriggerPolicy.Loop(bool(l, "$.loop", "enabled", true),
                    number(l, "$.loop", "similarity", TriggerPolicy.Loop.DEFAULT_SIMILARITY, 0.1, 1),
                    integer(l, "$.loop", "window", TriggerPolicy.Loop.DEFAULT_WINDOW, 1, 20),
                    integer(l, "$.loop", "minRepeats", TriggerPolicy.Loop.DEFAULT_MIN_REPEATS, 1, 20),
                    integer(l, "$.loop", "minTokens", TriggerPolicy.Loop.DEFAULT_MIN_TOKENS, 1, 20),
                    number(l, "$.loop", "botSimilarity", TriggerPolicy.Loop.DEFAULT_BOT_SIMILARITY, 0.1, 1),
                    integer(l, "$.loop", "maxConsecutiveFallbacks", TriggerPolicy.Loop.DEFAULT_MAX_CONSECUTIVE_FALLBACKS, 1, 50),
                    new LinkedHashSet<>(strings(l, "$.loop", "fallbackIntents")),
                    priority(l, "$.loop", "priority", Priority.NORMAL));
            unknown(l, "$.loop", List.of("enabled", "similarity", "window", "minRepeats", "minTokens", "botSimilarity",
                    "maxConsecutiveFallbacks", "fallbackIntents", "priority"));
            if (loop.minRepeats() > loop.window() && l.has("minRepeats")) {
                bad("$.loop.minRepeats", loop.minRepeats(), "at most window (" + loop.window() + ")");
            }
            ObjectNode m = section(root, "sales");
            String currency = string(m, "$.sales", "currency", "USD");
            if (!CURRENCIES.contains(currency)) {
                bad("$.sales.currency", currency, "one of " + CURRENCIES.stream().sorted().toList());
                currency = "USD";
            }
            var sales = new TriggerPolicy.Sales(bool(m, "$.sales", "enabled", true),
                    number(m, "$.sales", "amountThreshold", TriggerPolicy.Sales.DEFAULT_AMOUNT_THRESHOLD, 0.01, 1e15),
                    currency, rates(m, currency),
                    priority(m, "$.sales", "priority", Priority.HIGH),
                    string(m, "$.sales", "routeHint", "account-executive"));
            unknown(m, "$.sales", List.of("enabled", "amountThreshold", "currency", "rates", "priority", "routeHint"));
            ObjectNode u = section(root, "urgency");
            var urgency = new TriggerPolicy.Urgency(bool(u, "$.urgency", "enabled", true),
                    integer(u, "$.urgency", "repeatContacts", TriggerPolicy.Urgency.DEFAULT_REPEAT_CONTACTS, 1, 1000),
                    duration(u, "$.urgency", "repeatContactWindow", TriggerPolicy.Urgency.DEFAULT_REPEAT_CONTACT_WINDOW),
                    duration(u, "$.urgency", "maxSessionDuration", TriggerPolicy.Urgency.DEFAULT_MAX_SESSION_DURATION),
                    priority(u, "$.urgency", "priority", Priority.HIGH));
            unknown(u, "$.urgency", List.of("enabled", "repeatContacts", "repeatContactWindow", "maxSessionDuration", "priority"));
            List<TriggerPolicy.PhraseRule> rules = phraseRules(root);
            Set<String> typoWords = new LinkedHashSet<>();
            for (String w : strings(root, "$", "typoWords")) {
                typoWords.add(dev.handoff.core.text.Normalizer.normalize(w).strip());
            }
            return new TriggerPolicy(name, profiles, confidence, sentiment, complex, loop, sales, urgency, rules, typoWords);
        }

        TriggerPolicy.Sentiment.Fallback fallback(ObjectNode s) {
            JsonNode v = s.get("fallback");
            if (v == null || v.isNull()) {
                return TriggerPolicy.Sentiment.Fallback.LEXICON;
            }
            if (!v.isTextual() || !isEnum(TriggerPolicy.Sentiment.Fallback.class, v.textValue())) {
                bad("$.sentiment.fallback", shown(v), "one of " + Arrays.toString(TriggerPolicy.Sentiment.Fallback.values()));
                return TriggerPolicy.Sentiment.Fallback.LEXICON;
            }
            return TriggerPolicy.Sentiment.Fallback.valueOf(v.textValue());
        }

        private Map<String, Double> rates(ObjectNode sales, String currency) {
            Map<String, Double> rates = new LinkedHashMap<>(Map.of("USD", 1.0, "EUR", 1.08, "GBP", 1.27, "JPY", 0.0067));
            JsonNode r = sales.get("rates");
            if (r != null && !r.isNull()) {
                if (!r.isObject()) {
                    bad("$.sales.rates", shown(r), "a mapping from currency code to a number greater than 0");
                } else {
                    r.fields().forEachRemaining(e -> {
                        String path = "$.sales.rates." + e.getKey();
                        if (!CURRENCIES.contains(e.getKey())) {
                            bad(path, e.getKey(), "a currency code, one of " + CURRENCIES.stream().sorted().toList());
                        } else if (!e.getValue().isNumber() || e.getValue().asDouble() <= 0) {
                            bad(path, shown(e.getValue()), "a number greater than 0");
                        } else {
                            rates.put(e.getKey(), e.getValue().asDouble());
                        }
                    });
                }
            } else if (!"USD".equals(currency)) {
                // default rates are per USD; re-base them on the policy's currency
                double base = rates.get(currency);
                rates.replaceAll((k, v) -> v / base);
            }
            return rates;
        }

        private List<TriggerPolicy.PhraseRule> phraseRules(ObjectNode root) {
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
                        "speakers", "profile", "phrases", "alone", "except", "whenNegative", "language"));
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
                if (id != null && kind != null) {
                    rules.add(new TriggerPolicy.PhraseRule(id, kind, enabled, description, priority, routeHint, negatable,
                            speakers, profile, phrases, alone, except, whenNegative, language));
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

    static String describe(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
    }
}
