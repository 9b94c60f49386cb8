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
                        : goal(context).map(g -> "I'm bringing in a specialist now. I've shared what we've covered (" + g
                                + ") so you won't need to repeat yourself.")
                        .orElse("I'm bringing in a specialist now. I've shared everything we've covered so far, so you won't "
                                + "need to repeat yourself.");
                case RETRYING -> silent ? "Thanks for bearing with me; still working on it."
                        : "The first specialist isn't free, so I'm connecting you with the next one who can help.";
                case STILL_WAITING -> silent ? "Still with you; one more moment please."
                        : "Thanks for waiting. Your specialist already has our conversation in front of them.";
            });
        };
    }

    /** The whisper goal when it reads well said back to the customer: short, no quotations. */
    private static Optional<String> goal(HandoffContext context) {
        String g = context.whisper().goal().strip();
        if (g.isEmpty() || g.length() > 80 || g.indexOf('"') >= 0 || g.indexOf('\u201c') >= 0 || g.contains(";")) {
            return Optional.empty();
        }
        if (g.endsWith(".")) {
            g = g.substring(0, g.length() - 1);
        }
        return Optional.of(Character.toLowerCase(g.charAt(0)) + g.substring(1));
    }
}
