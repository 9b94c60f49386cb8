package dev.handoff.api;

import java.util.Objects;

/**
 * The three-party check made before a transfer is executed: if any party is not ready, the transfer is not
 * attempted and the next fallback target is tried.
 *
 * @param aiLegReleasable the AI's leg can be let go (dialog confirmed, nothing pending)
 * @param agentCanAccept  the target can take the conversation (agent available, OPTIONS answered)
 * @param connectorReady  the connector can execute the transfer (the customer's side allows REFER, queue open)
 * @param detail          what was checked, or why it failed
 */
public record PreflightResult(boolean aiLegReleasable, boolean agentCanAccept, boolean connectorReady, String detail) {

    /**
     * Checks the result.
     *
     * @param aiLegReleasable the AI's leg can be let go (dialog confirmed, nothing pending)
     * @param agentCanAccept  the target can take the conversation (agent available, OPTIONS answered)
     * @param connectorReady  the connector can execute the transfer (the customer's side allows REFER, queue open)
     * @param detail          what was checked, or why it failed
     * @throws NullPointerException when {@code detail} is null
     */
    public PreflightResult {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * All three parties are ready.
     *
     * @param detail what was checked
     * @return a result whose {@link #ok()} is true
     */
    public static PreflightResult ready(String detail) {
        return new PreflightResult(true, true, true, detail);
    }

    /**
     * Whether the transfer may be attempted.
     *
     * @return true when all three parties are ready
     */
    public boolean ok() {
        return aiLegReleasable && agentCanAccept && connectorReady;
    }
}
