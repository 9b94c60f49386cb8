package dev.handoff.api.context;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;

/**
 * The cadence the AI established, so the human can match it before pivoting (avoids the "tone clash").
 *
 * @param pace      how fast and how long the AI's turns were
 * @param formality how formal its wording was
 * @param empathy   how much empathy it expressed
 * @param guidance  nullable; one sentence of advice for the human
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToneProfile(@NotNull Pace pace, @NotNull Formality formality, @NotNull SentimentTrack.Level empathy,
                          @Nullable String guidance) {

    /** How fast and how long the AI's turns were. */
    public enum Pace {
        /** Long turns (the default summarizer: 28 words or more on average). */
        SLOW,
        /** Between brisk and slow. */
        MEASURED,
        /** Short turns (the default summarizer: 12 words or fewer on average). */
        BRISK
    }

    /** How formal the AI's wording was. */
    public enum Formality {
        /** Mostly informal wording. */
        CASUAL,
        /** Neither casual nor formal. */
        NEUTRAL,
        /** Consistently formal wording. */
        FORMAL
    }

    /**
     * A neutral profile for when nothing is known.
     *
     * @return measured pace, neutral formality, medium empathy, no guidance
     */
    public static ToneProfile neutral() {
        return new ToneProfile(Pace.MEASURED, Formality.NEUTRAL, SentimentTrack.Level.MEDIUM, null);
    }
}
