package dev.handoff.api.spi;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import java.util.List;
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
     * Stores a context and, in the same write, the audit records of its packaging, when this store can write them
     * into {@code sink} in one transaction (handoff-postgres can, when {@code sink} is its own audit table: the
     * context and its CONTEXT_PACKAGED record are durable together, one commit instead of two). The default only
     * {@linkplain #put stores} the context and returns false: the caller then records them through {@code sink}.
     *
     * @param context the signed document
     * @param sink    the audit sink the caller would record {@code records} in
     * @param records the audit records of the same step, oldest first
     * @return true when {@code records} were written with the context; false when the caller must record them
     * @throws dev.handoff.api.HandoffException when the context cannot be stored (then neither was written)
     */
    default boolean putAudited(HandoffContext context, AuditSink sink, List<AuditRecord> records) {
        put(context);
        return false;
    }

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
