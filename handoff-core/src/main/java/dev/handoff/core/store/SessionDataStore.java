package dev.handoff.core.store;

import dev.handoff.api.SessionId;
import java.util.Set;

/**
 * A local store that keeps conversation data per session (the file journals: contexts, commitments, the CRM outbox)
 * and can remove it for {@link FileDataRetention}: everything of a customer's sessions on an erasure request, and
 * what its own retention no longer covers on a purge.
 *
 * <p>Implementations remove from memory and from their files before returning, rewriting a file atomically (a new
 * file, forced, renamed over the old one). They are thread-safe.
 */
public interface SessionDataStore {

    /**
     * The sessions whose stored records name this customer ({@link dev.handoff.api.CustomerData#customerId()}).
     *
     * @param customerId the customer
     * @return the sessions found; empty when the store's records carry no customer id
     */
    Set<SessionId> sessionsNaming(String customerId);

    /**
     * Removes every record of these sessions, and every record naming the customer, from memory and from the file.
     *
     * @param sessions   the customer's sessions
     * @param customerId the customer
     * @return how many records were removed
     * @throws dev.handoff.api.RetriableHandoffException when the file cannot be rewritten; calling again finishes
     */
    long erase(Set<SessionId> sessions, String customerId);

    /**
     * Removes what the store's retention no longer covers, from memory and from the file.
     *
     * @return how many records were removed; 0 for a store without a retention
     * @throws dev.handoff.api.RetriableHandoffException when the file cannot be rewritten; calling again finishes
     */
    long purgeExpired();
}
