package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;
import java.util.Collections;

/**
 * What the bot's own NLU said about a turn. Every field is nullable: a bot passes what it has.
 *
 * @param confidence       nullable; the bot's confidence in its understanding or answer, 0..1
 * @param intent           nullable; the classified intent name
 * @param intentConfidence nullable; the classifier's confidence in {@code intent}, 0..1
 * @param sentiment        nullable; sentiment score, -1 (very negative) .. +1 (very positive)
 * @param entities         extracted entities by name (empty when none)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NluSignals(
        @DecimalMin("0.0") @DecimalMax("1.0") @Nullable Double confidence,
        @Nullable String intent,
        @DecimalMin("0.0") @DecimalMax("1.0") @Nullable Double intentConfidence,
        @DecimalMin("-1.0") @DecimalMax("1.0") @Nullable Double sentiment,
        Map<String, String> entities) {

    /** No signals at all. */
    public static final NluSignals NONE = new NluSignals(null, null, null, null, Map.of());

    /**
     * Copies {@code entities} sorted by name ({@code null} means empty). Out-of-range numbers are kept, not refused
     * here: {@link #violations()} reports them.
     *
     * @param confidence       nullable; the bot's confidence in its understanding or answer, 0..1
     * @param intent           nullable; the classified intent name
     * @param intentConfidence nullable; the classifier's confidence in {@code intent}, 0..1
     * @param sentiment        nullable; sentiment score, -1 (very negative) .. +1 (very positive)
     * @param entities         extracted entities by name (empty when none)
     */
    public NluSignals {
        entities = entities == null || entities.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(entities));
    }

    /**
     * Signals with only a confidence.
     *
     * @param confidence the bot's confidence, 0..1
     * @return signals with no intent, sentiment or entities
     */
    public static NluSignals confidence(double confidence) {
        return new NluSignals(confidence, null, null, null, Map.of());
    }

    /**
     * Signals with an intent and its confidence; the same number is used as the overall confidence.
     *
     * @param intent     the classified intent name
     * @param confidence the classifier's confidence, 0..1
     * @return signals with no sentiment or entities
     */
    public static NluSignals intent(String intent, double confidence) {
        return new NluSignals(confidence, intent, confidence, null, Map.of());
    }

    /**
     * What is wrong with these signals, empty when nothing: a confidence outside 0..1 (often a percentage such as
     * {@code 39} sent for {@code 0.39}) or a sentiment outside -1..1. {@code HandoffSession} refuses a turn whose
     * signals have violations, with a {@link ValidationException} naming each field and value.
     *
     * @return a new list, in field order; empty when every value is in range
     */
    public java.util.List<Violation> violations() {
        java.util.List<Violation> out = new java.util.ArrayList<>(0);
        if (confidence != null && !(confidence >= 0 && confidence <= 1)) {
            out.add(new Violation("signals.confidence", confidence, "a fraction from 0 to 1 (0.39 for 39%)"));
        }
        if (intentConfidence != null && !(intentConfidence >= 0 && intentConfidence <= 1)) {
            out.add(new Violation("signals.intentConfidence", intentConfidence, "a fraction from 0 to 1 (0.39 for 39%)"));
        }
        if (sentiment != null && !(sentiment >= -1 && sentiment <= 1)) {
            out.add(new Violation("signals.sentiment", sentiment, "a score from -1 to 1"));
        }
        return out;
    }

    /**
     * A copy with a sentiment score; this record is not changed.
     *
     * @param score -1 (very negative) .. +1 (very positive)
     * @return a copy with {@code sentiment} set
     */
    public NluSignals withSentiment(double score) {
        return new NluSignals(confidence, intent, intentConfidence, score, entities);
    }

    /**
     * A copy whose entities are {@code more}; this record is not changed.
     *
     * @param more the entities by name; they replace the current ones (they are not merged)
     * @return a copy with {@code entities} set
     */
    public NluSignals withEntities(Map<String, String> more) {
        return new NluSignals(confidence, intent, intentConfidence, sentiment, more);
    }
}
