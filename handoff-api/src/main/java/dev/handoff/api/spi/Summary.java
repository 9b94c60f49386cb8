package dev.handoff.api.spi;

import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the observer ({@link Summarizer}) produced: semantic ledger, whisper and tone, and the sentiment track when the
 * observer read one.
 *
 * @param ledger    BANT, pain points and key entities
 * @param whisper   the three bullets and the opening line for the human
 * @param tone      the AI's tone, so the human can match it
 * @param sentiment the sentiment track the whisper's sentiment line was written from, or {@code null}: the default
 *                  packager puts it in the context when it covers the transcript being packaged (the same final
 *                  customer turns), and computes the track itself otherwise, so an observer that leaves it out loses
 *                  nothing and one whose summary is older than the transcript is not trusted with it
 */
public record Summary(SemanticLedger ledger, WhisperSummary whisper, ToneProfile tone, @Nullable SentimentTrack sentiment) {

    /**
     * Checks the summary.
     *
     * @param ledger    BANT, pain points and key entities
     * @param whisper   the three bullets and the opening line for the human
     * @param tone      the AI's tone, so the human can match it
     * @param sentiment the sentiment track the observer read, or {@code null}
     * @throws NullPointerException when the ledger, the whisper or the tone is null
     */
    public Summary {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(whisper, "whisper");
        Objects.requireNonNull(tone, "tone");
    }

    /**
     * A summary without a sentiment track (the packager computes it).
     *
     * @param ledger  BANT, pain points and key entities
     * @param whisper the three bullets and the opening line for the human
     * @param tone    the AI's tone, so the human can match it
     * @throws NullPointerException when any argument is null
     */
    public Summary(SemanticLedger ledger, WhisperSummary whisper, ToneProfile tone) {
        this(ledger, whisper, tone, null);
    }
}
