package dev.handoff.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The exact characters of a turn that made a rule fire.
 *
 * @param start offset of the first character in the turn's original text (inclusive)
 * @param end   offset after the last character (exclusive)
 * @param text  the matched characters
 */
public record EvidenceSpan(@PositiveOrZero int start, @PositiveOrZero int end, @NotNull String text) {

    /**
     * Checks the span.
     *
     * @param start offset of the first character in the turn's original text (inclusive)
     * @param end   offset after the last character (exclusive)
     * @param text  the matched characters
     * @throws IllegalArgumentException when {@code end} is before {@code start}
     */
    public EvidenceSpan {
        if (end < start) {
            throw new IllegalArgumentException("evidence end " + end + " is before start " + start);
        }
    }
}
