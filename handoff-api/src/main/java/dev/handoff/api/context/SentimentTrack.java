package dev.handoff.api.context;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Map;

/**
 * The sentiment velocity graph: the customer's sentiment per turn and where it is heading.
 *
 * @param series     one point per customer turn, in order
 * @param velocity   slope of sentiment per customer turn over the recent window (negative = getting worse)
 * @param trend      improving, stable or declining
 * @param urgency    how urgent the customer is
 * @param trust      how much the customer trusts the conversation
 * @param label      the dashboard label ({@code "Entering conversation at High Urgency / Low Trust"})
 * @param markers    notable shifts ({@code "closed-questions"}, {@code "pricing-hesitation"})
 * @param extensions unknown fields, kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SentimentTrack(
        @NotNull List<@NotNull @Valid Point> series,
        double velocity,
        @NotNull Trend trend,
        @NotNull Level urgency,
        @NotNull Level trust,
        @NotBlank String label,
        @NotNull List<String> markers,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extensions) {

    /**
     * Copies the lists and the extensions (sorted by key); {@code null} for any of them means empty.
     *
     * @param series     one point per customer turn, in order
     * @param velocity   slope of sentiment per customer turn over the recent window (negative = getting worse)
     * @param trend      improving, stable or declining
     * @param urgency    how urgent the customer is
     * @param trust      how much the customer trusts the conversation
     * @param label      the dashboard label ({@code "Entering conversation at High Urgency / Low Trust"})
     * @param markers    notable shifts ({@code "closed-questions"}, {@code "pricing-hesitation"})
     * @param extensions unknown fields, kept
     */
    public SentimentTrack {
        series = series == null ? List.of() : List.copyOf(series);
        markers = markers == null ? List.of() : List.copyOf(markers);
        extensions = Extensions.copy(extensions);
    }

    /** Direction of the sentiment. */
    public enum Trend {
        /** Sentiment is rising. */
        IMPROVING,
        /** Neither rising nor falling beyond the threshold. */
        STABLE,
        /** Sentiment is falling. */
        DECLINING
    }

    /** A three-step level used for urgency, trust and empathy. */
    public enum Level {
        /** Low. */
        LOW,
        /** Medium. */
        MEDIUM,
        /** High. */
        HIGH
    }

    /**
     * One point of the series.
     *
     * @param turnIndex the customer turn
     * @param score     -1 .. +1
     */
    public record Point(@PositiveOrZero int turnIndex, @DecimalMin("-1.0") @DecimalMax("1.0") double score) {
    }
}
