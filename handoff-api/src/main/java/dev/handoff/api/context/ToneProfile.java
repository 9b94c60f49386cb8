package dev.handoff.api.context;

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
                          String guidance) {

    public enum Pace { SLOW, MEASURED, BRISK }

    public enum Formality { CASUAL, NEUTRAL, FORMAL }

    /** A neutral profile for when nothing is known. */
    public static ToneProfile neutral() {
        return new ToneProfile(Pace.MEASURED, Formality.NEUTRAL, SentimentTrack.Level.MEDIUM, null);
    }
}
