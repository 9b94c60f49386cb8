package dev.handoff.api.spi;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Route;
import dev.handoff.api.context.HandoffContext;

/**
 * Picks where the handoff goes, with its fallback chain (phase 4): by contextual readiness, skills and
 * availability.
 *
 * <p>Called once per handoff by the orchestrator on its worker thread, after packaging. Must always return a
 * route with at least one target (the default queue when nothing better fits).
 */
public interface Router {

    /**
     * Chooses the route for one handoff.
     *
     * @param context  the packaged context (skills, priority and readiness are read from it)
     * @param decision the decision that triggered the handoff
     * @return a route with at least one target
     */
    Route route(HandoffContext context, HandoffDecision decision);
}
