package dev.handoff.api.spi;

import org.jspecify.annotations.Nullable;
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
     * @param session the conversation
     * @param turn    the turn just recorded; turns not spoken by the AI are ignored
     * @return the commitments found in this turn (empty when none, or when the turn is not the AI's)
     */
    List<Commitment> observe(SessionId session, Turn turn);

    /**
     * Records a commitment the bot declared explicitly (from its own tool calls).
     *
     * @param session    the conversation
     * @param commitment the commitment; the ledger gives it the next id of the session ({@code "c-3"})
     * @return the commitment as recorded, with its ledger id
     */
    Commitment record(SessionId session, Commitment commitment);

    /**
     * All commitments of a session, in the order they were made, in their current state.
     *
     * @param session the conversation
     * @return a snapshot; empty for a session with none (or one the ledger never saw)
     */
    List<Commitment> commitments(SessionId session);

    /**
     * A human confirmed, corrected or revoked a commitment.
     *
     * @param session      the conversation
     * @param commitmentId the commitment ({@code "c-1"})
     * @param verification the human's verdict
     * @return the commitment after the change
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
    record Verification(Commitment.Status status, @Nullable String correctedValue, String by, Instant at) {
        /**
         * Checks the verdict.
         *
         * @param status         CONFIRMED, CORRECTED or REVOKED
         * @param correctedValue nullable; required for CORRECTED
         * @param by             who
         * @param at             when
         * @throws NullPointerException     when {@code status}, {@code by} or {@code at} is null
         * @throws IllegalArgumentException when {@code status} is {@code PENDING_VERIFICATION}, or {@code CORRECTED}
         *                                  without a non-blank corrected value
         */
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
