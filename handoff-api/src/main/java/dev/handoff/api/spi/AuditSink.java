package dev.handoff.api.spi;

/**
 * Receives audit records (HIPAA-style audit controls: who accessed which context, when, with what outcome).
 *
 * <p>Called on the thread that did the audited action (a Handoff worker, the desktop's request thread); must be
 * quick and thread-safe. A durable sink must have written the record when {@link #record} returns. Failures are
 * logged by the caller and do not stop the handoff.
 */
public interface AuditSink {

    /**
     * Records one audit record; a durable sink has written it when this returns.
     *
     * @param record the record (ids and codes only, never transcript text)
     * @throws dev.handoff.api.HandoffException when it cannot be written; the caller logs it and goes on
     */
    void record(AuditRecord record);
}
