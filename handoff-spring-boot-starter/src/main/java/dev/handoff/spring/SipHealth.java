package dev.handoff.spring;

import dev.handoff.sip.RegistrationEvent;
import dev.handoff.sip.SipUserAgent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Each SIP user agent sends an OPTIONS to its own address and must get an answer (any status but 408), and its
 * latest registration, if it registers, must have been accepted. Waits at most {@link #WAIT_SECONDS} per agent.
 */
final class SipHealth implements HealthIndicator {

    /** How long one self-OPTIONS may take before the agent counts as down (the agent's own OPTIONS timeout is shorter by default). */
    static final int WAIT_SECONDS = 5;

    private final List<SipUserAgent> agents;
    private final Map<String, RegistrationEvent> registrations = new ConcurrentHashMap<>();

    SipHealth(List<SipUserAgent> agents) {
        this.agents = List.copyOf(agents);
        for (SipUserAgent ua : this.agents) {
            ua.onRegistration(e -> registrations.put(ua.stackName(), e));
        }
    }

    @Override
    public Health health() {
        boolean down = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (SipUserAgent ua : agents) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("uri", ua.localUri());
            int code;
            try {
                code = ua.options(ua.localUri()).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                code = 408;
            } catch (ExecutionException | TimeoutException e) {
                code = 408;
            }
            d.put("optionsToSelf", code);
            boolean ok = code != 408 && code != 503;
            RegistrationEvent r = registrations.get(ua.stackName());
            if (r != null) {
                d.put("registration", r.code());
                d.put("registeredAt", r.at().toString());
                ok &= r.registered();
            }
            down |= !ok;
            details.put(ua.stackName(), d);
        }
        return (down ? Health.down() : Health.up()).withDetails(details).build();
    }
}
