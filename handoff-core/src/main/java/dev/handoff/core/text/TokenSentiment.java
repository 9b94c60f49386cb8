package dev.handoff.core.text;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How the trigger engine reaches a sentiment analyzer that scores a turn from the tokens it already read
 * ({@link Normalizer#normalize}, {@link Words#tokenize}) instead of reading the turn's text a second time: the
 * bundled lexicon analyzer ({@code dev.handoff.core.context.LexiconSentimentAnalyzer}) registers itself here when its
 * class is initialized. Not API (this package is not exported), so the token path does not show in the analyzer's
 * public signature.
 */
public final class TokenSentiment {

    /** Scores a turn from its tokens; the same score as the analyzer's {@code score(text)}. Thread-safe. */
    public interface Scorer {
        /**
         * @param s    holds {@code text} normalized and tokenized (typo corrections included); read, never written
         * @param text the turn's original text
         * @return the analyzer's score of {@code text}
         */
        double score(Scratch s, String text);
    }

    private static volatile Function<Object, @Nullable Scorer> lookup = analyzer -> null;

    private TokenSentiment() {
    }

    /** Called once by the analyzer class that has a token path. */
    public static void register(Function<Object, @Nullable Scorer> byAnalyzer) {
        lookup = Objects.requireNonNull(byAnalyzer, "byAnalyzer");
    }

    /** The token path of {@code analyzer}, or null when it has none (a custom analyzer reads the text itself). */
    public static @Nullable Scorer of(Object analyzer) {
        return lookup.apply(analyzer);
    }
}
