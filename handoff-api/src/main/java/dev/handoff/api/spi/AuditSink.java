package dev.handoff.api.spi;

import java.util.List;

/**
 * Receives audit records (HIPAA-style audit controls: who accessed which context, when, with what outcome).
 *
 * <p>Called on the thread that did the audited action (a Handoff worker, the desktop's request thread); must be
 * quick and thread-safe. A durable sink must have written the record when {@link #record} returns. Failures are
 * logged by the caller and do not stop the handoff. Throw {@link dev.handoff.api.RetriableHandoffException} when the
 * sink is unavailable (its database down or not answering): the Handoff runtime then keeps the records (of its own
 * steps, ticket redemptions and what audits through {@code Handoff.auditSink()}, such as the agent desktop) in order,
 * in memory and in its audit spool file when one is set, and writes them again until the sink takes them, so a sink
 * that is briefly unavailable loses none of them (a record written again may be written twice if the failed call had
 * in fact written it). Any other exception means the record is refused for good: it is logged and dropped.
 */
public interface AuditSink {

    /**
     * Records one audit record; a durable sink has written it when this returns.
     *
     * @param record the record (ids and codes only, never transcript text)
     * @throws dev.handoff.api.HandoffException when it cannot be written; the caller logs it and goes on
     */
    void record(AuditRecord record);

    /**
     * Records several audit records of one step, in the order given. The default records them one by one with
     * {@link #record}; a sink that can write them in one transaction should (handoff-postgres does: one multi-row
     * insert, all or none, one commit instead of one per record). A durable sink has written all of them when this
     * returns.
     *
     * @param records the records, oldest first (ids and codes only, never transcript text)
     * @throws dev.handoff.api.HandoffException when they cannot be written; the caller logs it and goes on
     */
    default void recordAll(List<AuditRecord> records) {
        for (AuditRecord r : records) {
            record(r);
        }
    }
}
