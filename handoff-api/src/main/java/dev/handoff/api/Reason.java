package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * Why a rule fired: enough to explain the decision to a person and to audit it.
 *
 * @param kind      the trigger family
 * @param ruleId    the id of the rule in the policy ({@code "explicit.request"}, {@code "confidence.floor"})
 * @param detail    a human-readable sentence
 * @param turnIndex nullable; the turn that carried the evidence
 * @param evidence  nullable; the matched span of that turn
 * @param observed  nullable; the value compared (a confidence, a slope, an amount)
 * @param threshold nullable; the threshold it was compared against
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(
        @NotNull TriggerKind kind,
        @NotBlank String ruleId,
        @NotNull String detail,
        @Nullable Integer turnIndex,
        @Valid @Nullable EvidenceSpan evidence,
        @Nullable Double observed,
        @Nullable Double threshold) {

    /**
     * A reason without evidence or numbers.
     *
     * @param kind   the trigger family
     * @param ruleId the id of the rule in the policy
     * @param detail a human-readable sentence
     * @return a reason whose turn, evidence, observed value and threshold are null
     */
    public static Reason of(TriggerKind kind, String ruleId, String detail) {
        return new Reason(kind, ruleId, detail, null, null, null, null);
    }
}
