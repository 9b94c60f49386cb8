package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.Objects;

/**
 * How one transfer attempt ended.
 *
 * @param outcome      what happened
 * @param target       the target that was tried
 * @param mode         the mode that was used (a warm transfer may fall back to cold)
 * @param agentId      nullable; who took it, when known
 * @param protocolCode nullable; the protocol status that decided it (SIP 200/486/603, HTTP status)
 * @param detail       a human-readable explanation
 * @param completedAt  when the attempt ended
 */
public record TransferResult(
        Outcome outcome,
        Target target,
        TransferMode mode,
        @Nullable String agentId,
        @Nullable Integer protocolCode,
        String detail,
        Instant completedAt) {

    /** How an attempt ended. Only {@link #CONNECTED} moves ownership to a human. */
    public enum Outcome {
        /** A human has the conversation. */
        CONNECTED,
        /** The target or the customer's side refused (SIP 4xx/6xx, REFER rejected). */
        REJECTED,
        /** The target was busy (SIP 486, queue full). */
        BUSY,
        /** Nobody answered in time. */
        TIMED_OUT,
        /** The preflight check failed; nothing was sent to the customer. */
        PREFLIGHT_FAILED,
        /** Anything else: transport errors, internal errors. */
        FAILED
    }

    /**
     * Checks the result.
     *
     * @param outcome      what happened
     * @param target       the target that was tried
     * @param mode         the mode that was used (a warm transfer may fall back to cold)
     * @param agentId      nullable; who took it, when known
     * @param protocolCode nullable; the protocol status that decided it (SIP 200/486/603, HTTP status)
     * @param detail       a human-readable explanation
     * @param completedAt  when the attempt ended
     * @throws NullPointerException when {@code outcome}, {@code target}, {@code mode}, {@code detail} or
     *                              {@code completedAt} is null
     */
    public TransferResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    /**
     * Whether a human took the conversation.
     *
     * @return true for {@link Outcome#CONNECTED}
     */
    public boolean connected() {
        return outcome == Outcome.CONNECTED;
    }

    /**
     * A human took it; the executor reports this.
     *
     * @param target  the target that answered
     * @param mode    the mode that was used
     * @param agentId nullable; who took it, when known
     * @param code    nullable; the protocol status (SIP 200)
     * @param at      when the attempt ended
     * @return a {@link Outcome#CONNECTED} result with detail {@code "connected"}
     */
    public static TransferResult connected(Target target, TransferMode mode, @Nullable String agentId, @Nullable Integer code,
                                           Instant at) {
        return new TransferResult(Outcome.CONNECTED, target, mode, agentId, code, "connected", at);
    }

    /**
     * The attempt did not connect; the orchestrator then tries the next fallback target.
     *
     * @param outcome how it ended; anything but {@link Outcome#CONNECTED}
     * @param target  the target that was tried
     * @param mode    the mode that was used
     * @param code    nullable; the protocol status that decided it (SIP 486, HTTP 503)
     * @param detail  a human-readable explanation
     * @param at      when the attempt ended
     * @return a result without an agent
     * @throws IllegalArgumentException when {@code outcome} is {@link Outcome#CONNECTED}
     */
    public static TransferResult failed(Outcome outcome, Target target, TransferMode mode, @Nullable Integer code, String detail,
                                        Instant at) {
        if (outcome == Outcome.CONNECTED) {
            throw new IllegalArgumentException("a failed result cannot be CONNECTED");
        }
        return new TransferResult(outcome, target, mode, null, code, detail, at);
    }
}
