package dev.handoff.core.context;

import dev.handoff.api.spi.SentimentAnalyzer;
import java.util.Locale;
import java.util.Map;

/**
 * The walking-skeleton sentiment analyzer: a small word lexicon with negation flipping ("not happy").
 * Scores are clamped to -1..+1.
 */
public final class LexiconSentimentAnalyzer implements SentimentAnalyzer {

    private static final Map<String, Double> LEXICON = Map.ofEntries(
            Map.entry("great", 0.6), Map.entry("thanks", 0.4), Map.entry("thank", 0.4), Map.entry("good", 0.4),
            Map.entry("happy", 0.5), Map.entry("perfect", 0.6), Map.entry("love", 0.6), Map.entry("excellent", 0.7),
            Map.entry("bad", -0.5), Map.entry("terrible", -0.8), Map.entry("awful", -0.8), Map.entry("angry", -0.7),
            Map.entry("frustrated", -0.7), Map.entry("frustrating", -0.7), Map.entry("annoyed", -0.6), Map.entry("useless", -0.8),
            Map.entry("pain", -0.5), Map.entry("hurts", -0.5), Map.entry("worried", -0.4), Map.entry("confused", -0.4),
            Map.entry("ridiculous", -0.7), Map.entry("stupid", -0.8), Map.entry("wrong", -0.4), Map.entry("problem", -0.3),
            Map.entry("slow", -0.3), Map.entry("expensive", -0.3), Map.entry("concerned", -0.3));

    @Override
    public double score(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        double sum = 0;
        int hits = 0;
        boolean negate = false;
        for (String raw : text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
            if (raw.isEmpty()) {
                continue;
            }
            if (raw.equals("not") || raw.equals("no") || raw.endsWith("n't") || raw.equals("never")) {
                negate = true;
                continue;
            }
            Double v = LEXICON.get(raw);
            if (v != null) {
                sum += negate ? -v * 0.5 : v;
                hits++;
            }
            negate = false;
        }
        if (hits == 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, sum / Math.sqrt(hits)));
    }
}
