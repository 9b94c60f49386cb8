package dev.handoff.core.trigger;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns what fired into a decision: reasons most important first (kill switch, then by priority, then regulatory,
 * urgency, explicit request, sales, complex, sentiment, loop, confidence); the priority is the highest of them; a
 * kill switch makes it a silent alarm. The route hint comes from the highest-ranked reason: reasons that say only
 * "a person" (explicit request, sentiment, loop, confidence) defer to the next reason's hint, every other kind
 * decides, so an urgent outage with a sum of money in it goes to the urgent queue, not to sales.
 */
final class Verdict {

    private static final Comparator<Fired> IMPORTANCE = Comparator
            .comparing((Fired f) -> f.silent() ? 0 : 1)
            .thenComparing(f -> -f.priority().ordinal())
            .thenComparing(f -> rank(f.reason().kind()));

    private Verdict() {
    }

    static int rank(TriggerKind kind) {
        switch (kind) {
            case KILL_SWITCH: return 0;
            case REGULATORY: return 1;
            case URGENCY: return 2;
            case EXPLICIT_REQUEST: return 3;
            case SALES: return 4;
            case COMPLEX_ISSUE: return 5;
            case NEGATIVE_SENTIMENT: return 6;
            case CONVERSATION_LOOP: return 7;
            default: return 8;
        }
    }

    private static boolean routeNeutral(TriggerKind kind) {
        return kind == TriggerKind.EXPLICIT_REQUEST || kind == TriggerKind.NEGATIVE_SENTIMENT
                || kind == TriggerKind.CONVERSATION_LOOP || kind == TriggerKind.CONFIDENCE;
    }

    static HandoffDecision of(List<Fired> fired, String policy) {
        fired.sort(IMPORTANCE);
        List<Reason> reasons = new ArrayList<>(fired.size());
        Priority priority = Priority.LOW;
        String route = null;
        boolean routed = false;
        boolean silent = false;
        for (Fired f : fired) {
            reasons.add(f.reason());
            priority = priority.max(f.priority());
            if (!routed && (f.routeHint() != null || !routeNeutral(f.reason().kind()))) {
                route = f.routeHint();
                routed = true;
            }
            silent |= f.silent();
        }
        return silent
                ? new HandoffDecision(HandoffDecision.Action.SILENT_ALARM, reasons, Priority.URGENT, "priority", policy)
                : new HandoffDecision(HandoffDecision.Action.HANDOFF, reasons, priority, route, policy);
    }
}
