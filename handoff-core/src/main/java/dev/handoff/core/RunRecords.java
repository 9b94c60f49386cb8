package dev.handoff.core;

import dev.handoff.api.spi.AuditRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a {@link HandoffRun} keeps aside for later writes: its {@code HANDOFF_REQUESTED} record until it goes out with
 * the run's next record (one write, and none on the bot's thread), and whether a commitment verification deadline may
 * be running for the session (so the session's end cancels one only then). Thread-safe.
 */
final class RunRecords {

    private final AtomicReference<AuditRecord> unwritten = new AtomicReference<>();
    private volatile boolean deadlineMayRun;

    /** Keeps the request's record to be written with the run's next one. */
    void requested(AuditRecord record) {
        unwritten.set(record);
    }

    /** The kept record, if still unwritten (from now on the caller's to write), followed by {@code next}. */
    List<AuditRecord> then(AuditRecord next) {
        AuditRecord first = unwritten.getAndSet(null);
        return first == null ? List.of(next) : List.of(first, next);
    }

    /** Writes the kept record now, alone, if it is still unwritten (a wait is coming). */
    void flush(Audit audit) {
        AuditRecord first = unwritten.getAndSet(null);
        if (first != null) {
            audit.recordAll(List.of(first));
        }
    }

    /** This instance set a deadline, or another instance took the handoff over and may have. */
    void deadlineMayRun() {
        deadlineMayRun = true;
    }

    boolean mayHaveDeadline() {
        return deadlineMayRun;
    }
}
