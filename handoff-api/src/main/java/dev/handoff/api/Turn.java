package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;

/**
 * One utterance in the conversation.
 *
 * @param index     0-based position in the transcript
 * @param speaker   who said it
 * @param text      what was said (may be empty, never null in a valid document)
 * @param timestamp when it was said
 * @param signals   nullable; the bot's NLU signals for this turn
 * @param partial   true for an in-flight turn (speech still being recognised, message still being typed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Turn(
        @PositiveOrZero int index,
        @NotNull Speaker speaker,
        @NotNull String text,
        @NotNull Instant timestamp,
        @Valid @Nullable NluSignals signals,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean partial) {

    /**
     * A complete turn without NLU signals.
     *
     * @param index     0-based position in the transcript
     * @param speaker   who said it
     * @param text      what was said
     * @param timestamp when it was said
     * @return a turn with {@code signals} null and {@code partial} false
     */
    public static Turn of(int index, Speaker speaker, String text, Instant timestamp) {
        return new Turn(index, speaker, text, timestamp, null, false);
    }

    /**
     * The signals, never null.
     *
     * @return {@code signals()}, or {@link NluSignals#NONE} when the bot gave none
     */
    public NluSignals signalsOrNone() {
        return signals == null ? NluSignals.NONE : signals;
    }
}
