package dev.handoff.desktop;

import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Keeps audit records and lets a test wait for one that is written on another thread (a socket closing). */
final class RecordingAudit implements AuditSink {

    private final List<AuditRecord> records = new ArrayList<>();

    @Override
    public synchronized void record(AuditRecord record) {
        records.add(record);
        notifyAll();
    }

    synchronized List<AuditRecord> records() {
        return List.copyOf(records);
    }

    /** The first record matching, waiting up to 10 s for it. */
    synchronized AuditRecord await(Predicate<AuditRecord> which) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (AuditRecord r : records) {
                if (which.test(r)) {
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such audit record within 10 s; have " + records);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
