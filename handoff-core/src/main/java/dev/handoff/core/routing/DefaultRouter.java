package dev.handoff.core.routing;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Route;
import dev.handoff.api.Target;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The walking-skeleton router: a silent alarm goes to the priority target first (bypassing the normal queue);
 * everything else to the default target; then the configured fallbacks in order.
 */
public final class DefaultRouter implements Router {

    /** The queue used when nothing else is configured. */
    public static final Target DEFAULT_TARGET = Target.queue("support");

    private final Target defaultTarget;
    private final Target priorityTarget;
    private final List<Target> fallbacks;

    /** Routes everything to {@link #DEFAULT_TARGET}. */
    public DefaultRouter() {
        this(DEFAULT_TARGET, null, List.of());
    }

    /**
     * @param defaultTarget  where normal handoffs go
     * @param priorityTarget nullable; where silent alarms go first
     * @param fallbacks      tried in order after the first target fails
     */
    public DefaultRouter(Target defaultTarget, @Nullable Target priorityTarget, List<Target> fallbacks) {
        this.defaultTarget = Objects.requireNonNull(defaultTarget, "defaultTarget");
        this.priorityTarget = priorityTarget;
        this.fallbacks = List.copyOf(fallbacks);
    }

    @Override
    public Route route(HandoffContext context, HandoffDecision decision) {
        List<Target> targets = new ArrayList<>();
        boolean alarm = decision.action() == HandoffDecision.Action.SILENT_ALARM && priorityTarget != null;
        if (alarm) {
            targets.add(priorityTarget);
        }
        targets.add(defaultTarget);
        for (Target t : fallbacks) {
            if (!targets.contains(t)) {
                targets.add(t);
            }
        }
        return new Route(targets, decision.priority(), alarm ? "silent alarm: priority target bypasses the normal queue"
                : "default route", alarm);
    }
}
