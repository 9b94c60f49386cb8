package dev.handoff.core.context.llm;

import dev.handoff.api.Commitment;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.ToneProfile;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * The model's answer, as the JSON Schema {@code observer-answer.schema.json} defines it and Hibernate Validator checks
 * it: the whisper's rules (three lines of at most 120 characters, an opening of at most 160, no raw sentiment scores,
 * at most one quoted span), ISO currency codes, bounded lists. Turn indexes and citations are checked against the
 * transcript by {@link AnswerMerger}.
 */
record ObserverAnswer(
        @NotBlank @Size(max = 120) @Pattern(regexp = NO_SCORE, message = SCORE_MESSAGE) @Pattern(regexp = ONE_QUOTE, message = QUOTE_MESSAGE)
        String goal,
        @NotBlank @Size(max = 120) @Pattern(regexp = NO_SCORE, message = SCORE_MESSAGE) @Pattern(regexp = ONE_QUOTE, message = QUOTE_MESSAGE)
        String obstacle,
        @NotBlank @Size(max = 120) @Pattern(regexp = NO_SCORE, message = SCORE_MESSAGE) @Pattern(regexp = ONE_QUOTE, message = QUOTE_MESSAGE)
        String sentiment,
        @NotBlank @Size(max = 160) @Pattern(regexp = NO_SCORE, message = SCORE_MESSAGE) @Pattern(regexp = NO_QUOTE, message = "must not quote anyone")
        String suggestedOpening,
        @NotNull @Valid Bant bant,
        @NotNull @Size(max = 10) List<@NotBlank @Size(max = 200) String> painPoints,
        @NotNull @Size(max = 30) List<@NotNull @Valid Entity> entities,
        @NotNull @Valid Tone tone,
        @NotNull @Size(max = 10) List<@NotNull @Valid Promise> commitments) {

    /** No number in -1..1 with decimals ("-0.40", "0.5"): a raw sentiment score. */
    static final String NO_SCORE = "(?s)^(?!.*(?<![\\d$\u20ac\u00a3.,:])[-+\u2212]?[01]?\\.\\d{1,3}(?![\\d%])).*$";
    static final String SCORE_MESSAGE = "must describe sentiment in words, not raw scores";
    /** At most one quoted span. */
    static final String ONE_QUOTE = "(?s)^[^\"\u201c\u201d]*(?:[\"\u201c\u201d][^\"\u201c\u201d]*[\"\u201c\u201d][^\"\u201c\u201d]*)?$";
    static final String QUOTE_MESSAGE = "must hold at most one quoted span";
    static final String NO_QUOTE = "(?s)^[^\"\u201c\u201d]*$";

    record Bant(@Valid Budget budget, @Size(max = 300) String authority, @Size(max = 300) String need, @Size(max = 200) String timeline) {
    }

    /**
     * @param turnIndex the customer turn that states the amount; without it (or when that turn does not state it) the
     *                  amount is not taken
     */
    record Budget(@PositiveOrZero BigDecimal amount, @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code") String currency,
                  @NotBlank @Size(max = 300) String text, Integer turnIndex) {
    }

    record Entity(@NotBlank @Size(max = 60) String type, @NotBlank @Size(max = 300) String value, Integer turnIndex) {
    }

    record Tone(@NotNull ToneProfile.Pace pace, @NotNull ToneProfile.Formality formality, @NotNull SentimentTrack.Level empathy,
                @NotBlank @Size(max = 300) String guidance) {
    }

    /** A promise the model found, with the assistant turn and the words that made it. */
    record Promise(@NotNull Commitment.Kind kind, @NotNull Commitment.Strength strength, @Size(max = 100) String value,
                   @NotNull Integer turnIndex, @NotBlank @Size(max = 500) String quote) {
    }
}
