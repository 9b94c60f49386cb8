package dev.handoff.api;

import org.jspecify.annotations.Nullable;
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
        @Nullable String value,
        @PositiveOrZero int turnIndex,
        @NotNull Status status,
        @Nullable String correctedValue,
        @Nullable String verifiedBy,
        @Nullable Instant verifiedAt) {

    /**
     * What sort of promise: a discount, a refund, an account credit, a callback, a delivery date, a waived fee, a free
     * trial, an escalation to someone senior, a booked appointment, something added for free ({@code FREE_ADD_ON}:
     * installation, express shipping, a module), a follow-up message ({@code FOLLOW_UP}: "I'll email you the quote by
     * Friday"), or another promise ({@code OTHER}: a replacement, a repair, a reconnection).
     */
    public enum Kind {
        /** A price reduction ("I can give you 15% off"). */
        DISCOUNT,
        /** Money paid back. */
        REFUND,
        /** An account credit. */
        CREDIT,
        /** Someone will call the customer back. */
        CALLBACK,
        /** A date by which something arrives. */
        DELIVERY_DATE,
        /** A fee not charged. */
        FEE_WAIVER,
        /** A free trial period. */
        FREE_TRIAL,
        /** Someone more senior will take it up. */
        ESCALATION,
        /** A booked appointment. */
        APPOINTMENT,
        /** Something added at no cost (installation, express shipping, a module). */
        FREE_ADD_ON,
        /** A message to follow ("I'll email you the quote by Friday"). */
        FOLLOW_UP,
        /** Any other promise (a replacement, a repair, a reconnection). */
        OTHER
    }

    /** How firmly it was made. */
    public enum Strength {
        /** Implied or hedged ("I might be able to"). */
        SOFT,
        /** Stated as done or certain ("I've applied it"). */
        HARD
    }

    /** Verification lifecycle: {@code PENDING_VERIFICATION} until a human confirms, corrects or revokes it. */
    public enum Status {
        /** Made by the AI, not yet looked at by a human. */
        PENDING_VERIFICATION,
        /** A human confirmed it stands as promised. */
        CONFIRMED,
        /** A human changed it; {@link Commitment#correctedValue()} holds the new value. */
        CORRECTED,
        /** A human withdrew it. */
        REVOKED
    }

    /**
     * A new, unverified commitment, as the commitment detector makes it from an AI turn.
     *
     * @param id        stable id within the session
     * @param kind      what sort of promise
     * @param strength  how firmly it was made
     * @param text      the AI's words that carried it
     * @param value     nullable; the promised value, normalised
     * @param turnIndex the AI turn that made it
     * @return a commitment in {@link Status#PENDING_VERIFICATION} with no verifier
     */
    public static Commitment pending(String id, Kind kind, Strength strength, String text, @Nullable String value, int turnIndex) {
        return new Commitment(id, kind, strength, text, value, turnIndex, Status.PENDING_VERIFICATION, null, null, null);
    }

    /**
     * A copy after a human acted on it; this record is not changed. The ledger calls it when an agent confirms,
     * corrects or revokes the commitment.
     *
     * @param newStatus      the status the human set
     * @param correctedValue nullable; the corrected value ({@link Status#CORRECTED} only)
     * @param by             the agent id of the human who acted
     * @param at             when they acted
     * @return a copy with the new status and verifier; every other component unchanged
     */
    public Commitment verified(Status newStatus, @Nullable String correctedValue, String by, Instant at) {
        return new Commitment(id, kind, strength, text, value, turnIndex, newStatus, correctedValue, by, at);
    }
}
