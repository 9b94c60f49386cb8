package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a commitment ledger's audit trail: a commitment as it was after a change. The trail of a session
 * is every entry in order; the current state of a commitment is its newest entry.
 *
 * @param session    the conversation
 * @param action     what happened
 * @param commitment the commitment after the change (for VERIFIED: the status, corrected value, who and when)
 * @param at         when it was written (the turn time for detected promises, the verification time otherwise)
 */
public record LedgerEntry(SessionId session, Action action, Commitment commitment, Instant at) {

    /** What happened to the commitment. */
    public enum Action {
        /** The AI made it (detected in its turn or declared by the bot). */
        RECORDED,
        /** A named human confirmed, corrected or revoked it. */
        VERIFIED
    }

    /**
     * Checks the components.
     *
     * @param session    the conversation
     * @param action     what happened
     * @param commitment the commitment after the change (for VERIFIED: the status, corrected value, who and when)
     * @param at         when it was written (the turn time for detected promises, the verification time otherwise)
     * @throws NullPointerException when {@code session}, {@code action}, {@code commitment} or {@code at} is null
     */
    public LedgerEntry {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(at, "at");
    }
}
