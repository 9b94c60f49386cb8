package dev.handoff.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A push the CRM refused for good, kept with its full context so nothing is silently dropped.
 *
 * @param entry  the push
 * @param deadAt when it was given up
 * @param reason why: the system, the call, the HTTP status and the CRM's error code; never the CRM's error body
 */
public record DeadLetter(OutboxEntry entry, Instant deadAt, String reason) {

    /**
     * Checks the components.
     *
     * @param entry  the push
     * @param deadAt when it was given up
     * @param reason why: the system, the call, the HTTP status and the CRM's error code; never the CRM's error body
     * @throws NullPointerException when {@code entry}, {@code deadAt} or {@code reason} is null
     */
    public DeadLetter {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(deadAt, "deadAt");
        Objects.requireNonNull(reason, "reason");
    }
}
