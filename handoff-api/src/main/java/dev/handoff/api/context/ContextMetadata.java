package dev.handoff.api.context;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Map;

/**
 * Conversation metadata.
 *
 * @param action          {@code HANDOFF} or {@code SILENT_ALARM}
 * @param priority        the handoff's priority
 * @param triggerReasons  every rule that fired, most important first
 * @param intents         the distinct intents the bot classified, in first-seen order
 * @param routeHint       nullable; the evaluator's hint to the router
 * @param durationSeconds how long the conversation has lasted
 * @param language        nullable; BCP 47 language tag
 * @param extensions      unknown fields, kept
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContextMetadata(
        @NotNull String action,
        @NotNull Priority priority,
        @NotNull List<@NotNull @Valid Reason> triggerReasons,
        @NotNull List<String> intents,
        @Nullable String routeHint,
        @PositiveOrZero long durationSeconds,
        @Nullable String language,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extensions) {

    /**
     * Copies the lists and the extensions (sorted by key); {@code null} for any of them means empty.
     *
     * @param action          {@code HANDOFF} or {@code SILENT_ALARM}
     * @param priority        the handoff's priority
     * @param triggerReasons  every rule that fired, most important first
     * @param intents         the distinct intents the bot classified, in first-seen order
     * @param routeHint       nullable; the evaluator's hint to the router
     * @param durationSeconds how long the conversation has lasted
     * @param language        nullable; BCP 47 language tag
     * @param extensions      unknown fields, kept
     */
    public ContextMetadata {
        triggerReasons = triggerReasons == null ? List.of() : List.copyOf(triggerReasons);
        intents = intents == null ? List.of() : List.copyOf(intents);
        extensions = Extensions.copy(extensions);
    }
}
