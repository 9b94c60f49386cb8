package dev.handoff.api.context;

import jakarta.validation.constraints.NotBlank;

/**
 * The three bullets the human reads before the bridge, plus the line to open with.
 *
 * @param goal             what the customer wants
 * @param obstacle         what stands in the way
 * @param sentiment        how they feel, in words
 * @param suggestedOpening a first sentence that continues the conversation instead of restarting it
 */
public record WhisperSummary(@NotBlank String goal, @NotBlank String obstacle, @NotBlank String sentiment,
                             @NotBlank String suggestedOpening) {
}
