package dev.handoff.core.store;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.core.internal.KeptAuditWrites;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The {@link AuditRecord.Action#CUSTOMER_DATA_ERASED} records {@link FileDataRetention}'s audit sink has not taken
 * yet. New records are written behind them by the one rule of {@link KeptAuditWrites} (kept while the sink is
 * unavailable, one at a time when it refuses a batch, a record refused for good dropped), and while any wait they are
 * also held in the links file, so a restart does not lose them. Thread-safe.
 */
final class UnauditedErasures {

    /**
     * What one {@link #write} did.
     *
     * @param written     how many records the sink took
     * @param refused     the records it refused for good (logged and dropped)
     * @param waiting     how many records still wait for it
     * @param held        whether every waiting record is held in the file
     * @param unavailable nullable; what the sink threw when it stopped taking records
     */
    record Result(int written, List<AuditRecord> refused, int waiting, boolean held, @Nullable RetriableHandoffException unavailable) {
    }

    private final AuditSink sink;
    /** Holds records behind those held already; false (and an error logged) when they could not be written. */
    private final Predicate<List<AuditRecord>> hold;
    /** Holds exactly these records, none when empty; false (and the failure logged) when that could not be written. */
    private final Predicate<List<AuditRecord>> holdOnly;
    /** Oldest first (guarded by this). */
    private final List<AuditRecord> waiting = new ArrayList<>();
    /** Whether every waiting record is held (guarded by this). */
    private boolean held = true;

    /**
     * @param sink        the retention's audit sink
     * @param hold        holds records in the file behind those held already
     * @param holdOnly    holds exactly these records in the file
     * @param heldAlready what the file held when it was opened, oldest first
     */
    UnauditedErasures(AuditSink sink, Predicate<List<AuditRecord>> hold, Predicate<List<AuditRecord>> holdOnly,
                      List<AuditRecord> heldAlready) {
        this.sink = sink;
        this.hold = hold;
        this.holdOnly = holdOnly;
        this.waiting.addAll(heldAlready);
    }

    /**
     * Writes records behind those waiting; with none, writes those waiting. The file is written holding this lock
     * (and the retention's, taken inside it, never the other way round).
     */
    synchronized Result write(List<AuditRecord> records) {
        if (waiting.isEmpty() && records.isEmpty()) {
            return new Result(0, List.of(), 0, true, null);
        }
        boolean heldBefore = !waiting.isEmpty();
        waiting.addAll(records);
        KeptAuditWrites.Result r = KeptAuditWrites.write(sink, List.copyOf(waiting));
        if (r.done() == 0) {   // unavailable: nothing written
            if (!records.isEmpty()) {
                held = hold.test(records) && held;
            }
            return new Result(0, List.of(), waiting.size(), held, r.unavailable());
        }
        waiting.subList(0, r.done()).clear();
        if (heldBefore || !waiting.isEmpty()) {
            held = holdOnly.test(List.copyOf(waiting));
        }
        if (waiting.isEmpty()) {
            held = true;   // nothing waits: nothing to hold
        }
        return new Result(r.done() - r.refused().size(), r.refused(), waiting.size(), held, r.unavailable());
    }
}
