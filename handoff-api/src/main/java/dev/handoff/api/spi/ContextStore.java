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

    void put(HandoffContext context);

    Optional<HandoffContext> get(String contextId);

    /** The newest context packaged for a session. */
    Optional<HandoffContext> latest(SessionId session);
}
