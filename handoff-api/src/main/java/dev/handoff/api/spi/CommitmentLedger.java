package dev.handoff.api.spi;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Tracks what the AI promised, so the human can verify it.
 *
 * <p>{@link #observe} is called by {@code HandoffSession} on the bot's thread for each AI turn;
 * {@link #verify} is called from the agent desktop's thread; both may run at the same time for one session,
 * so implementations are thread-safe. A durable implementation must have written a change before it returns.
 */
public interface CommitmentLedger {

    /**
     * Looks for promises in an AI turn and records them as pending verification.
     *
     * @return the commitments found in this turn (empty when none, or when the turn is not the AI's)
     */
    List<Commitment> observe(SessionId session, Turn turn);

    /** Records a commitment the bot declared explicitly (from its own tool calls). */
    Commitment record(SessionId session, Commitment commitment);

    /** All commitments of a session, in the order they were made. */
    List<Commitment> commitments(SessionId session);

    /**
     * A human confirmed, corrected or revoked a commitment.
     *
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist
     */
    Commitment verify(SessionId session, String commitmentId, Verification verification);

    /**
     * A human's verdict.
     *
     * @param status         CONFIRMED, CORRECTED or REVOKED
     * @param correctedValue nullable; required for CORRECTED
     * @param by             who
     * @param at             when
     */
    record Verification(Commitment.Status status, String correctedValue, String by, Instant at) {
        public Verification {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
            if (status == Commitment.Status.PENDING_VERIFICATION) {
                throw new IllegalArgumentException("a verification must confirm, correct or revoke, was " + status);
            }
            if (status == Commitment.Status.CORRECTED && (correctedValue == null || correctedValue.isBlank())) {
                throw new IllegalArgumentException("a CORRECTED verification needs the corrected value");
            }
        }
    }
}
