package dev.handoff.core;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.core.audit.InMemoryAuditSink;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Takes records into {@code kept} unless it is down, when it throws as a store that cannot be reached does. A batch is
 * taken whole or not at all, as a table's insert is. Shared by the core tests of audit records kept through an outage
 * (the runtime's and {@code FileDataRetention}'s).
 */
public final class FlakyAuditSink implements AuditSink {
    public final InMemoryAuditSink kept = new InMemoryAuditSink();
    public final AtomicBoolean down = new AtomicBoolean();
    public final AtomicInteger refused = new AtomicInteger();
    /** The records the sink never takes, whatever its state (a bad record, not an outage): it refuses their batch. */
    public volatile Predicate<AuditRecord> neverTaken = r -> false;

    @Override
    public void record(AuditRecord record) {
        recordAll(List.of(record));
    }

    @Override
    public void recordAll(List<AuditRecord> records) {
        if (down.get()) {
            refused.incrementAndGet();
            throw new RetriableHandoffException("audit store unavailable (test)");
        }
        if (records.stream().anyMatch(neverTaken)) {
            throw new NonRetriableHandoffException("audit store refuses a record of the batch (test)");
        }
        synchronized (this) {
            kept.recordAll(records);
            notifyAll();   // wakes awaitWritten
        }
    }

    /**
     * Waits until {@code n} records are written, woken by each write; gives up after a minute (the assertions that
     * follow say what is missing).
     */
    public synchronized void awaitWritten(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long left;
        while (kept.records().size() < n && (left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
