package dev.handoff.spring;

import dev.handoff.crm.outbox.OutboxDispatcher;
import dev.handoff.crm.transport.CircuitBreaker;
import dev.handoff.crm.transport.CrmHttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The CRM part of the {@code handoff} health contributor (a class of its own: it needs handoff-crm-adapters). */
final class CrmHealth {

    private CrmHealth() {
    }

    /** DOWN while any CRM's breaker is OPEN (calls are refused at once); the outbox backlog as a detail. */
    static HealthIndicator crm(List<CrmHttpClient> clients, List<OutboxDispatcher> outboxes) {
        return () -> {
            boolean open = false;
            Map<String, Object> details = new LinkedHashMap<>();
            for (CrmHttpClient c : clients) {
                CircuitBreaker.State state = c.circuitBreaker().state();
                open |= state == CircuitBreaker.State.OPEN;
                details.put(c.system(), state.name());
            }
            if (!outboxes.isEmpty()) {
                details.put("outboxPending", outboxes.stream().mapToInt(OutboxDispatcher::pendingCount).sum());
            }
            return (open ? Health.down() : Health.up()).withDetails(details).build();
        };
    }
}
