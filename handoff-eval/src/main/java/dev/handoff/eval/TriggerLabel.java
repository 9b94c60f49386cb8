package dev.handoff.eval;

import dev.handoff.api.Priority;
import dev.handoff.api.TriggerKind;
import java.util.Set;

/**
 * What a contact centre wants from the trigger engine on one conversation.
 *
 * @param handoffAt  the turn index at which a handoff is first warranted, or -1 for "never"
 * @param latest     the last turn at which handing off still counts as on time (at least {@code handoffAt})
 * @param kind       the trigger kind that should lead (null for never)
 * @param alsoAccept other kinds that are an acceptable lead for this case
 * @param priority   nullable; the expected priority
 */
public record TriggerLabel(int handoffAt, int latest, TriggerKind kind, Set<TriggerKind> alsoAccept, Priority priority) {

    public TriggerLabel {
        alsoAccept = Set.copyOf(alsoAccept);
        if (handoffAt >= 0 && kind == null) {
            throw new IllegalArgumentException("a label that hands off needs a kind");
        }
        if (latest < handoffAt) {
            throw new IllegalArgumentException("latest (" + latest + ") is before handoffAt (" + handoffAt + ")");
        }
    }

    /** True for "never hand off". */
    public boolean never() {
        return handoffAt < 0;
    }

    /** True when {@code k} is an acceptable leading kind. */
    public boolean accepts(TriggerKind k) {
        return k == kind || alsoAccept.contains(k);
    }
}
