package dev.handoff.api;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One attempt to move a conversation to one target.
 *
 * @param sessionId the conversation
 * @param contextId the id of the packaged context in the {@link dev.handoff.api.spi.ContextStore}
 * @param ticket    the short signed ticket the receiving side redeems for the context (fits a SIP header)
 * @param target    where to move it
 * @param mode      how
 * @param priority  the handoff's priority
 * @param headers   extra protocol headers to carry ({@code X-Handoff-Reason}); may be empty
 * @param timeout   how long the executor may take before it reports {@link TransferResult.Outcome#TIMED_OUT}
 */
public record TransferRequest(
        SessionId sessionId,
        String contextId,
        String ticket,
        Target target,
        TransferMode mode,
        Priority priority,
        Map<String, String> headers,
        Duration timeout) {

    /**
     * Checks and copies the request; {@code headers} are sorted by name, {@code null} means none.
     *
     * @param sessionId the conversation
     * @param contextId the id of the packaged context in the {@link dev.handoff.api.spi.ContextStore}
     * @param ticket    the short signed ticket the receiving side redeems for the context (fits a SIP header)
     * @param target    where to move it
     * @param mode      how
     * @param priority  the handoff's priority
     * @param headers   extra protocol headers to carry ({@code X-Handoff-Reason}); may be empty
     * @param timeout   how long the executor may take before it reports {@link TransferResult.Outcome#TIMED_OUT}
     * @throws NullPointerException     when any component other than {@code headers} is null
     * @throws IllegalArgumentException when {@code timeout} is zero or negative
     */
    public TransferRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(timeout, "timeout");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(headers));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("transfer timeout must be positive, was " + timeout);
        }
    }
}
