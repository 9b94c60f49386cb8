package dev.handoff.api.spi;

import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Retention and erasure of the conversation data a store keeps (contexts with their transcripts, commitments,
 * tickets and the links between customers and sessions).
 *
 * <p>{@link #purgeExpired} is called periodically (every few minutes is plenty): handoff-postgres runs it by itself
 * on every instance; core's file stores also purge by themselves as they are written, so a call makes their removal
 * prompt rather than eventual;
 * {@link #eraseCustomer} by whoever handles a deletion request (a privacy request, an operator);
 * {@link #linkSession} by the runtime when a session for a known customer opens. All three may run on any thread
 * at once. Failures are {@link dev.handoff.api.HandoffException}s: retriable when the store is briefly unavailable
 * (call again: a transactional store removed nothing, core's file stores may have removed part and nothing was
 * audited yet), non-retriable otherwise.
 *
 * <p>Audit records are not removed by either call: they carry ids and outcome codes only (see {@link AuditRecord})
 * and are the proof that access and erasure happened.
 */
public interface DataRetention {

    /**
     * Removes every row whose retention period has passed. Idempotent; instances may call it at the same time.
     *
     * @return what was removed, per kind of data
     */
    Purge purgeExpired();

    /**
     * Removes every row the store keeps for {@code customerId} (everything of every session linked to the customer)
     * and records a {@link AuditRecord.Action#CUSTOMER_DATA_ERASED} audit record per session (one with a synthetic
     * session id when the customer had none). A transactional store does it in one step: either everything is gone
     * and audited, or nothing changed. Core's file stores replace each file atomically and audit only once every file
     * is clean.
     *
     * @param customerId the customer, as in {@link dev.handoff.api.CustomerData#customerId()}
     * @param actor      who asked (an operator id, {@code "privacy-desk"}): 1-64 characters of {@code [A-Za-z0-9_.:-]}
     * @return what was removed
     */
    Erasure eraseCustomer(String customerId, String actor);

    /**
     * Ties a session to a customer so {@link #eraseCustomer} finds the session's rows even when no context names
     * the customer. Idempotent.
     *
     * @param session    the session just opened
     * @param customerId the customer it belongs to
     */
    void linkSession(SessionId session, String customerId);

    /**
     * The result of a purge.
     *
     * @param cutoff  rows written before this instant (less the retention period) were removed
     * @param removed rows removed per kind of data (for example {@code "contexts"}, {@code "commitments"})
     */
    record Purge(Instant cutoff, Map<String, Long> removed) {
        /**
         * Checks and copies the result.
         *
         * @param cutoff  rows written before this instant (less the retention period) were removed
         * @param removed rows removed per kind of data (for example {@code "contexts"}, {@code "commitments"})
         * @throws NullPointerException when {@code cutoff} or {@code removed} is null
         */
        public Purge {
            Objects.requireNonNull(cutoff, "cutoff");
            removed = Map.copyOf(removed);
        }

        /**
         * Rows removed in all.
         *
         * @return the sum of {@code removed}
         */
        public long total() {
            return removed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The result of an erasure.
     *
     * @param at       when it happened
     * @param sessions the sessions whose data was removed
     * @param removed  rows removed per kind of data
     */
    record Erasure(Instant at, List<SessionId> sessions, Map<String, Long> removed) {
        /**
         * Checks and copies the result.
         *
         * @param at       when it happened
         * @param sessions the sessions whose data was removed
         * @param removed  rows removed per kind of data
         * @throws NullPointerException when any component is null
         */
        public Erasure {
            Objects.requireNonNull(at, "at");
            sessions = List.copyOf(sessions);
            removed = Map.copyOf(removed);
        }

        /**
         * Rows removed in all.
         *
         * @return the sum of {@code removed}
         */
        public long total() {
            return removed.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
