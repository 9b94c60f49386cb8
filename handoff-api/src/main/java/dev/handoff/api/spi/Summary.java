package dev.handoff.api.spi;

import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import java.util.Objects;

/** What the observer ({@link Summarizer}) produced: semantic ledger, whisper and tone. */
public record Summary(SemanticLedger ledger, WhisperSummary whisper, ToneProfile tone) {

    public Summary {
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(whisper, "whisper");
        Objects.requireNonNull(tone, "tone");
    }
}
