package dev.handoff.examples.desktop;

import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent confirmed on the desktop that they read a handoff context before engaging the customer.
 *
 * @param contextId the context that was read
 * @param sessionId the conversation
 * @param agentId   who read it
 * @param readAt    when they pressed the button (from the desktop's clock)
 */
public record ReadReceipt(String contextId, SessionId sessionId, String agentId, Instant readAt) {

    public ReadReceipt {
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(readAt, "readAt");
    }
}
