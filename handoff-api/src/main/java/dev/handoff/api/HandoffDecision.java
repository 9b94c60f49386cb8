package dev.handoff.api;

import org.jspecify.annotations.Nullable;
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
public record HandoffDecision(Action action, List<Reason> reasons, Priority priority, @Nullable String routeHint,
                              @Nullable String policy) {

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

    /**
     * Checks and copies the decision.
     *
     * @param action    continue with the bot, hand off, or hand off silently (kill switch)
     * @param reasons   every rule that fired, most important first; empty for {@link Action#CONTINUE}
     * @param priority  how urgent the handoff is
     * @param routeHint nullable; a hint for the router ({@code "priority"}, {@code "solutions-engineer"})
     * @param policy    nullable; the name of the trigger policy that made the decision (the rule engine chooses a
     *                  policy per session, for example open door for large accounts)
     * @throws NullPointerException     when {@code action} or {@code priority} is null
     * @throws IllegalArgumentException when a handoff or silent alarm has no reason
     */
    public HandoffDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(priority, "priority");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        if (action != Action.CONTINUE && reasons.isEmpty()) {
            throw new IllegalArgumentException("a " + action + " decision needs at least one reason");
        }
    }

    /**
     * A decision without the name of the policy that made it.
     *
     * @param action    continue, hand off or silent alarm
     * @param reasons   every rule that fired, most important first
     * @param priority  how urgent the handoff is
     * @param routeHint nullable; a hint for the router
     */
    public HandoffDecision(Action action, List<Reason> reasons, Priority priority, @Nullable String routeHint) {
        this(action, reasons, priority, routeHint, null);
    }

    /**
     * Keep going with the bot.
     *
     * @return the one shared {@link Action#CONTINUE} decision (no reasons, {@link Priority#NORMAL})
     */
    public static HandoffDecision proceed() {
        return CONTINUE;
    }

    /**
     * Hand the conversation to a human.
     *
     * @param priority  how urgent
     * @param reasons   the rules that fired, most important first; at least one
     * @param routeHint nullable; a hint for the router
     * @return a {@link Action#HANDOFF} decision without a policy name
     * @throws IllegalArgumentException when {@code reasons} is empty
     */
    public static HandoffDecision handoff(Priority priority, List<Reason> reasons, @Nullable String routeHint) {
        return new HandoffDecision(Action.HANDOFF, reasons, priority, routeHint);
    }

    /**
     * The kill switch: hand off at once without telling the customer.
     *
     * @param reasons the rules that fired; at least one
     * @return a {@link Action#SILENT_ALARM} decision at {@link Priority#URGENT} with route hint {@code "priority"}
     * @throws IllegalArgumentException when {@code reasons} is empty
     */
    public static HandoffDecision silentAlarm(List<Reason> reasons) {
        return new HandoffDecision(Action.SILENT_ALARM, reasons, Priority.URGENT, "priority");
    }

    /**
     * Whether a human should take over.
     *
     * @return true for {@link Action#HANDOFF} and {@link Action#SILENT_ALARM}
     */
    @JsonIgnore
    public boolean isHandoff() {
        return action != Action.CONTINUE;
    }
}
