package dev.handoff.api.spi;

import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import java.util.Objects;

/**
 * What the observer ({@link Summarizer}) produced: semantic ledger, whisper and tone.
 *
 * @param ledger  BANT, pain points and key entities
 * @param whisper the three bullets and the opening line for the human
 * @param tone    the AI's tone, so the human can match it
 */
public record Summary(SemanticLedger ledger, WhisperSummary whisper, ToneProfile tone) {

    /**
     * Checks the summary.
     *
     * @param ledger  BANT, pain points and key entities
     * @param whisper the three bullets and the opening line for the human
     * @param tone    the AI's tone, so the human can match it
     * @throws NullPointerException when any component is null
     */
    public Summary {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(whisper, "whisper");
        Objects.requireNonNull(tone, "tone");
    }
}
