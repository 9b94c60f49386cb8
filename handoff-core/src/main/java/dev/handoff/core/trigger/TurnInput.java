package dev.handoff.core.trigger;

import dev.handoff.api.NluSignals;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.TokenSentiment;
import org.jspecify.annotations.Nullable;

/**
 * One turn as the signal families see it: read once (normalized, tokenized, typos corrected, scanned, amounts
 * found), with the policy chosen for the session and the session's languages. Reused per thread, so that
 * evaluating a quiet turn allocates nothing.
 */
final class TurnInput {

    /**
     * How much a lexicon estimate counts against the sentiment thresholds: it reads words, not tone, and words such
     * as "cancel" or "lawsuit" name a topic as often as a feeling.
     */
    static final double ESTIMATE_WEIGHT = 0.55;

    private static final ThreadLocal<TurnInput> CURRENT = ThreadLocal.withInitial(TurnInput::new);

    CompiledPolicy policy;
    Scratch s;
    Turn turn;
    String text;
    Speaker speaker;
    NluSignals signals;
    ConversationView view;
    long languages;
    SentimentAnalyzer analyzer;
    /** The analyzer's token path (the bundled lexicon analyzer), or null: the analyzer reads the text. */
    TokenSentiment.@Nullable Scorer tokens;
    private boolean sentimentRead;
    private double sentiment;
    private boolean estimated;

    static TurnInput get() {
        return CURRENT.get();
    }

    TurnInput reset(CompiledPolicy policy, Scratch s, Turn turn, String text, Speaker speaker, ConversationView view,
                    long languages, SentimentAnalyzer analyzer, TokenSentiment.@Nullable Scorer tokens) {
        this.policy = policy;
        this.s = s;
        this.turn = turn;
        this.text = text;
        this.speaker = speaker;
        this.signals = turn.signalsOrNone();
        this.view = view;
        this.languages = languages;
        this.analyzer = analyzer;
        this.tokens = tokens;
        this.sentimentRead = false;
        return this;
    }

    /**
     * The turn's sentiment: the bot's score, else (customer turns, lexicon fallback on) the analyzer's estimate
     * weighted by {@link #ESTIMATE_WEIGHT}, else NaN. Computed at most once per turn.
     */
    double sentiment() {
        if (!sentimentRead) {
            sentimentRead = true;
            Double bot = signals.sentiment();
            estimated = false;
            if (bot != null && !bot.isNaN()) {
                sentiment = bot;
            } else if (speaker == Speaker.CUSTOMER && analyzer != null
                    && policy.policy.sentiment().fallback() == TriggerPolicy.Sentiment.Fallback.LEXICON) {
                // the bundled lexicon reads the words from this turn's tokens instead of reading the text again
                sentiment = (tokens != null ? tokens.score(s, text) : analyzer.score(text)) * ESTIMATE_WEIGHT;
                estimated = true;
            } else {
                sentiment = Double.NaN;
            }
        }
        return sentiment;
    }

    /** True when {@link #sentiment()} is the analyzer's estimate rather than the bot's score. */
    boolean sentimentEstimated() {
        sentiment();
        return estimated;
    }
}
