package dev.handoff.core.trigger;

import java.util.List;

/**
 * One family of trigger rules (phrases, amounts, confidence, sentiment, intents, loops, urgency). The engine reads
 * a turn once ({@link TurnInput}) and asks each family in turn; a family adds what fired to the list (creating it
 * on the first reason, so a quiet turn allocates nothing) and returns it.
 */
interface Signal {

    /**
     * @param in    the turn, read once, with the policy it is evaluated under
     * @param state the session's state (null when the caller gave no conversation); guarded by the caller
     * @param fired what fired so far, or null
     * @return {@code fired}, possibly with more reasons, or a new list
     */
    List<Fired> evaluate(TurnInput in, SessionState state, List<Fired> fired);

    /** Adds {@code f} to {@code fired}, creating the list on the first reason. */
    static List<Fired> add(List<Fired> fired, Fired f) {
        List<Fired> list = fired == null ? new java.util.ArrayList<>(2) : fired;
        list.add(f);
        return list;
    }
}
