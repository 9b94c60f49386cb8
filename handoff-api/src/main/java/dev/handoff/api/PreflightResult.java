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

    public PreflightResult {
        Objects.requireNonNull(detail, "detail");
    }

    public static PreflightResult ready(String detail) {
        return new PreflightResult(true, true, true, detail);
    }

    public boolean ok() {
        return aiLegReleasable && agentCanAccept && connectorReady;
    }
}
