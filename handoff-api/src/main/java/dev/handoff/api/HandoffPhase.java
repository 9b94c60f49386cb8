package dev.handoff.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The phases of one handoff, as an explicit state machine. A handoff moves forward only along
 * {@link #next()}; {@link #RETURNED_TO_BOT} and {@link #FAILED} can be reached from any non-final phase.
 * Applying a transition that already happened is a no-op (events are idempotent).
 */
public enum HandoffPhase {
    /** The trigger fired and the bot asked for a human. */
    REQUESTED,
    /** The context was summarised, packaged, signed and stored. */
    PACKAGED,
    /** The router chose targets and the fallback chain. */
    ROUTED,
    /** The three-party preflight passed for the current target. */
    VALIDATED,
    /** The agent side has the context (whisper first). */
    AGENT_NOTIFIED,
    /** The transfer is being executed. */
    TRANSFERRING,
    /** A human has the conversation; the bot is silent. */
    CONNECTED,
    /** The human read the context and verified the AI's commitments. */
    VERIFIED,
    /** No human could take it (or the human gave it back): the bot owns the conversation again. */
    RETURNED_TO_BOT,
    /** An internal error ended the handoff; the bot owns the conversation again. */
    FAILED;

    /**
     * Phases this one may move to. Moving back to VALIDATED from a later phase means trying the next fallback target.
     *
     * @return a new mutable set each call; empty for a final phase
     */
    public Set<HandoffPhase> next() {
        return switch (this) {
            case REQUESTED -> EnumSet.of(PACKAGED, RETURNED_TO_BOT, FAILED);
            case PACKAGED -> EnumSet.of(ROUTED, RETURNED_TO_BOT, FAILED);
            case ROUTED, VALIDATED, AGENT_NOTIFIED, TRANSFERRING ->
                    EnumSet.of(VALIDATED, AGENT_NOTIFIED, TRANSFERRING, CONNECTED, RETURNED_TO_BOT, FAILED);
            case CONNECTED -> EnumSet.of(VERIFIED, RETURNED_TO_BOT);
            case VERIFIED -> EnumSet.of(RETURNED_TO_BOT);
            case RETURNED_TO_BOT, FAILED -> EnumSet.noneOf(HandoffPhase.class);
        };
    }

    /**
     * Whether nothing else happens in this handoff after this phase.
     *
     * @return true for {@link #RETURNED_TO_BOT} and {@link #FAILED}
     */
    public boolean isFinal() {
        return this == RETURNED_TO_BOT || this == FAILED;
    }
}
