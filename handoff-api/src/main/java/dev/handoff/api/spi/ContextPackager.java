package dev.handoff.api.spi;

import dev.handoff.api.context.HandoffContext;

/**
 * Builds the {@code handoff.context/v1} document from a conversation (phase 2).
 *
 * <p>Called once per handoff by the orchestrator on its worker thread. Returns an unsigned document (the
 * orchestrator signs it); the document must pass schema validation. Throws
 * {@link dev.handoff.api.ValidationException} when the result would be invalid.
 */
public interface ContextPackager {

    /**
     * Builds the document for one handoff.
     *
     * @param request the conversation, the decision, the CRM profile, the commitments and the observer's summary
     * @return an unsigned {@code handoff.context/v1} document (no {@code integrity} block)
     * @throws dev.handoff.api.ValidationException when the document would not be valid
     */
    HandoffContext pack(PackagingRequest request);
}
