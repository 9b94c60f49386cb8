package dev.handoff.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What the trigger evaluator concluded about a turn.
 *
 * @param action    continue with the bot, hand off, or hand off silently (kill switch)
 * @param reasons   every rule that fired, most important first; empty for {@link Action#CONTINUE}
 * @param priority  how urgent the handoff is
 * @param routeHint nullable; a hint for the router ({@code "priority"}, {@code "solutions-engineer"})
 * @param policy    nullable; the name of the trigger policy that made the decision (the rule engine chooses a
 *                  policy per session, for example open door for large accounts)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HandoffDecision(Action action, List<Reason> reasons, Priority priority, String routeHint, String policy) {

    /** The decision's verb. */
    public enum Action {
        /** Keep the bot talking. */
        CONTINUE,
        /** Hand the conversation to a human. */
        HANDOFF,
        /** Hand off at once, silently (the customer is not told), bypassing the normal queue: the kill switch. */
        SILENT_ALARM
    }

    private static final HandoffDecision CONTINUE = new HandoffDecision(Action.CONTINUE, List.of(), Priority.NORMAL, null, null);

    public HandoffDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(priority, "priority");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        if (action != Action.CONTINUE && reasons.isEmpty()) {
            throw new IllegalArgumentException("a " + action + " decision needs at least one reason");
        }
    }

    /** A decision without the name of the policy that made it. */
    public HandoffDecision(Action action, List<Reason> reasons, Priority priority, String routeHint) {
        this(action, reasons, priority, routeHint, null);
    }

    /** Keep going with the bot. */
    public static HandoffDecision proceed() {
        return CONTINUE;
    }

    public static HandoffDecision handoff(Priority priority, List<Reason> reasons, String routeHint) {
        return new HandoffDecision(Action.HANDOFF, reasons, priority, routeHint);
    }

    public static HandoffDecision silentAlarm(List<Reason> reasons) {
        return new HandoffDecision(Action.SILENT_ALARM, reasons, Priority.URGENT, "priority");
    }

    /** True for {@link Action#HANDOFF} and {@link Action#SILENT_ALARM}. */
    @JsonIgnore
    public boolean isHandoff() {
        return action != Action.CONTINUE;
    }
}
