package dev.handoff.spring;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The indicators of {@link HandoffHealthAutoConfiguration}; each runs on the health endpoint's thread. */
final class HandoffHealth {

    private HandoffHealth() {
    }

    /** UP with the stores' details, DOWN with the reason when they cannot be used now. */
    static HealthIndicator stores(HandoffStores stores) {
        return () -> {
            if (stores.source().isEmpty()) {
                return Health.up().withDetail("type", "memory").build();
            }
            try {
                return Health.up().withDetails(stores.source().get().check()).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("type", stores.type().name().toLowerCase(java.util.Locale.ROOT))
                        .withDetail("error", e.getClass().getSimpleName() + ": " + HandoffPropertyException.printable(e.getMessage())).build();
            }
        };
    }

    /**
     * UP with the audit backlog: records waiting because the audit sink is unavailable (the trail in it is behind while
     * non-zero), records lost to a full queue, and the spool when one is set. Handoffs go on while the sink fails, so
     * this part does not take the instance out of service; alert on {@code waiting} (or its gauge).
     */
    static HealthIndicator audit(dev.handoff.core.Handoff handoff) {
        return () -> {
            dev.handoff.core.audit.AuditBacklog b = handoff.auditBacklog();
            Health.Builder h = Health.up().withDetail("waiting", b.waiting()).withDetail("limit", b.limit()).withDetail("lost", b.lost());
            b.spoolFile().ifPresent(f -> h.withDetail("spool", f.toString()).withDetail("spoolInStep", b.spoolInStep()));
            return h.build();
        };
    }
}
