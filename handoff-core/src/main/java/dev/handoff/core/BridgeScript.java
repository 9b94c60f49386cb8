package dev.handoff.core;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Target;
import dev.handoff.api.context.HandoffContext;
import java.util.Optional;

/**
 * What the bot says to the customer while a human is summoned (the "latency void"): the orchestrator publishes
 * each message as a {@link dev.handoff.api.event.HandoffEvent.BridgeMessage} for the bot to speak or post.
 * Implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface BridgeScript {

    /** When a message is asked for. */
    enum Stage {
        /** The context is packaged; a human is being summoned. */
        STARTED,
        /** The first choice could not take it; the next target is being tried. */
        RETRYING,
        /** The wait goes on; sent every {@link Handoff.Builder#bridgeInterval bridge interval}. */
        STILL_WAITING
    }

    /**
     * @param target the target being tried (null for {@link Stage#STILL_WAITING} before routing)
     * @return the message, or empty to say nothing at this stage
     */
    Optional<String> message(Stage stage, HandoffDecision decision, HandoffContext context, Target target);

    /**
     * The default script: says what was covered so the customer knows they will not repeat it; on a silent alarm
     * it never mentions the handoff.
     */
    static BridgeScript standard() {
        return (stage, decision, context, target) -> {
            boolean silent = decision.action() == HandoffDecision.Action.SILENT_ALARM;
            return Optional.of(switch (stage) {
                case STARTED -> silent ? "Let me look into that for you; one moment please."
                        : "I'm bringing in a specialist now. I've shared what we've covered (" + goal(context)
                        + ") so you won't need to repeat yourself.";
                case RETRYING -> silent ? "Thanks for bearing with me; still working on it."
                        : "The first specialist isn't free, so I'm connecting you with the next one who can help.";
                case STILL_WAITING -> silent ? "Still with you; one more moment please."
                        : "Thanks for waiting. Your specialist already has our conversation in front of them.";
            });
        };
    }

    private static String goal(HandoffContext context) {
        String g = context.whisper().goal();
        if (g.length() > 90) {
            g = g.substring(0, 89).stripTrailing() + "…";
        }
        return Character.toLowerCase(g.charAt(0)) + g.substring(1);
    }
}
