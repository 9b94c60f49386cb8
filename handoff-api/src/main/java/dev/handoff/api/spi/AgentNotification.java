package dev.handoff.api.spi;

import dev.handoff.api.Target;
import dev.handoff.api.context.HandoffContext;
import java.util.Objects;

/**
 * Tells the human side that a handoff is coming.
 *
 * @param target  where it is routed
 * @param context the signed context (the whisper comes first for a reason)
 * @param ticket  the short ticket that redeems the context
 * @param actions what the human side does with it: confirm reading, verify commitments, hand back
 */
public record AgentNotification(Target target, HandoffContext context, String ticket, AgentActions actions) {

    /**
     * Checks the notification.
     *
     * @param target  where it is routed
     * @param context the signed context (the whisper comes first for a reason)
     * @param ticket  the short ticket that redeems the context
     * @param actions what the human side does with it: confirm reading, verify commitments, hand back
     * @throws NullPointerException when any component is null
     */
    public AgentNotification {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(actions, "actions");
    }
}
