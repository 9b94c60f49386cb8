package dev.handoff.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;

/**
 * Something the AI promised or implied; the human must verify it in the first minute.
 *
 * @param id             stable id within the session ({@code "c-1"})
 * @param kind           what sort of promise
 * @param strength       SOFT (implied, "I might be able to") or HARD ("I've applied")
 * @param text           the AI's words that carried the promise
 * @param value          nullable; the promised value, normalised ({@code "15%"}, {@code "2026-03-04T15:00"})
 * @param turnIndex      the AI turn that made it
 * @param status         where it is in verification
 * @param correctedValue nullable; the value the human corrected it to ({@link Status#CORRECTED} only)
 * @param verifiedBy     nullable; the human who confirmed, corrected or revoked it
 * @param verifiedAt     nullable; when they did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Commitment(
        @NotBlank String id,
        @NotNull Kind kind,
        @NotNull Strength strength,
        @NotNull String text,
        String value,
        @PositiveOrZero int turnIndex,
        @NotNull Status status,
        String correctedValue,
        String verifiedBy,
        Instant verifiedAt) {

    /**
     * What sort of promise: a discount, a refund, an account credit, a callback, a delivery date, a waived fee, a free
     * trial, an escalation to someone senior, a booked appointment, something added for free ({@code FREE_ADD_ON}:
     * installation, express shipping, a module), a follow-up message ({@code FOLLOW_UP}: "I'll email you the quote by
     * Friday"), or another promise ({@code OTHER}: a replacement, a repair, a reconnection).
     */
    public enum Kind {
        DISCOUNT, REFUND, CREDIT, CALLBACK, DELIVERY_DATE, FEE_WAIVER, FREE_TRIAL, ESCALATION, APPOINTMENT, FREE_ADD_ON, FOLLOW_UP, OTHER
    }

    /** How firmly it was made. */
    public enum Strength { SOFT, HARD }

    /** Verification lifecycle. */
    public enum Status { PENDING_VERIFICATION, CONFIRMED, CORRECTED, REVOKED }

    /** A new, unverified commitment. */
    public static Commitment pending(String id, Kind kind, Strength strength, String text, String value, int turnIndex) {
        return new Commitment(id, kind, strength, text, value, turnIndex, Status.PENDING_VERIFICATION, null, null, null);
    }

    /** A copy after a human acted on it. */
    public Commitment verified(Status newStatus, String correctedValue, String by, Instant at) {
        return new Commitment(id, kind, strength, text, value, turnIndex, newStatus, correctedValue, by, at);
    }
}
