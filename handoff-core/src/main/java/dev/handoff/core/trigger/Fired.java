package dev.handoff.core.trigger;

import dev.handoff.api.Priority;
import dev.handoff.api.Reason;

/** One rule that fired, with what the decision needs beyond the reason. */
record Fired(Reason reason, Priority priority, String routeHint, boolean silent) {
}
