package dev.handoff.api.spi;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Turn;

/**
 * Decides, turn by turn, whether the conversation must go to a human.
 *
 * <p>Called by {@code HandoffSession} on the bot's thread for every recorded turn, in turn order for one
 * session; calls for different sessions run concurrently. Keep per-session state in
 * {@link ConversationView#state}. Must be fast (it runs in the conversation's latency budget) and must
 * never throw on any text: a rule that cannot evaluate simply does not fire.
 */
public interface TriggerEvaluator {

    /**
     * @param conversation the conversation, with {@code turn} already in {@link ConversationView#turns()}
     * @param turn         the turn just recorded (any speaker)
     * @return continue, handoff or silent alarm, with reasons
     */
    HandoffDecision evaluate(ConversationView conversation, Turn turn);
}
