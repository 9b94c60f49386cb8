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
}
