package dev.handoff.core.audit;

import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps audit records in memory, for tests and demos. */
public final class InMemoryAuditSink implements AuditSink {

    private final List<AuditRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditRecord record) {
        records.add(record);
    }

    /**
     * Every record so far, oldest first.
     *
     * @return a snapshot copy
     */
    public List<AuditRecord> records() {
        return List.copyOf(records);
    }
}
