package dev.handoff.core.trigger;

import static dev.handoff.core.trigger.PolicyLoader.CURRENCIES;
import static dev.handoff.core.trigger.PolicyLoader.shown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Priority;
import dev.handoff.api.Violation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a merged policy document into a {@link TriggerPolicy}: the top-level fields ({@code name}, {@code profiles},
 * {@code typoWords}) and the signal sections {@code confidence}, {@code sentiment}, {@code complex}, {@code loop},
 * {@code sales} (with currency rates) and {@code urgency}, each with its bounds; the {@code phraseRules} are read by
 * {@link PhraseRuleReader}. Collects violations instead of stopping at the first; single-use per load and not
 * thread-safe.
 */
final class PolicySections extends PolicyFields {

    /** The known top-level fields of a policy document. */
    private static final List<String> TOP = List.of("name", "extends", "packs", "profiles", "confidence", "sentiment",
            "complex", "loop", "sales", "urgency", "phraseRules", "typoWords");

    PolicySections(List<Violation> violations) {
        super(violations);
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
        List<TriggerPolicy.PhraseRule> rules = new PhraseRuleReader(violations).phraseRules(root);
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

}
