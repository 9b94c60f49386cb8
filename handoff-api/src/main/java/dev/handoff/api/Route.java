package dev.handoff.api;

import java.util.List;
import java.util.Objects;

/**
 * Where the router sends a handoff, in order of preference.
 *
 * @param targets          the first target, then the fallback chain; never empty
 * @param priority         the priority the handoff is routed with
 * @param reason           why this route, for the audit log and the agent
 * @param bypassNormalQueue true when the route skips the standard queue (kill switch, emergencies)
 */
public record Route(List<Target> targets, Priority priority, String reason, boolean bypassNormalQueue) {

    /**
     * Checks and copies the route.
     *
     * @param targets          the first target, then the fallback chain; never empty
     * @param priority         the priority the handoff is routed with
     * @param reason           why this route, for the audit log and the agent
     * @param bypassNormalQueue true when the route skips the standard queue (kill switch, emergencies)
     * @throws NullPointerException     when {@code targets}, {@code priority} or {@code reason} is null
     * @throws IllegalArgumentException when {@code targets} is empty
     */
    public Route {
        targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(reason, "reason");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one target");
        }
    }

    /**
     * The first target, tried before the fallback chain.
     *
     * @return {@code targets().get(0)}
     */
    public Target primary() {
        return targets.get(0);
    }
}
