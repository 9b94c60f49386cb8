package dev.handoff.api.spi;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import java.util.Optional;

/**
 * Keeps packaged contexts so a ticket can be redeemed for the full document (the SIP header, the CRM note and
 * the desktop carry only the ticket).
 *
 * <p>Thread-safe; called by the orchestrator's worker thread and by whatever redeems tickets (the desktop
 * server). A durable store must have persisted the document when {@link #put} returns.
 */
public interface ContextStore {

    /**
     * Stores a signed context under its {@link HandoffContext#contextId()}; a durable store has persisted it when
     * this returns.
     *
     * @param context the signed document
     * @throws dev.handoff.api.HandoffException when it cannot be stored (retriable when the store is briefly down)
     */
    void put(HandoffContext context);

    /**
     * The context stored under an id.
     *
     * @param contextId the id from {@link #put} (carried by a ticket)
     * @return the document as stored, or empty when there is none (never stored, purged or erased)
     */
    Optional<HandoffContext> get(String contextId);

    /**
     * The newest context packaged for a session.
     *
     * @param session the conversation
     * @return the most recently stored context of that session, or empty when it has none
     */
    Optional<HandoffContext> latest(SessionId session);
}
