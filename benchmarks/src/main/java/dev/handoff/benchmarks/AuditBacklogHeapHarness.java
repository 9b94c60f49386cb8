package dev.handoff.benchmarks;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.core.Handoff;
import dev.handoff.core.audit.AuditBacklog;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * The heap a waiting audit record costs, to size {@code Handoff.Builder.auditBacklogLimit}: a Handoff whose audit
 * sink is down is given {@code records} records through its audit path ({@code Handoff.auditSink()}, the desktop's
 * and the redeemer's), with ids shaped as Handoff makes them; the settled heap before and after, divided by the
 * records waiting. No spool (the spool keeps them on disk, not in more heap).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.AuditBacklogHeapHarness
 * java -Drecords=1000000 -Xmx1g -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.AuditBacklogHeapHarness
 * </pre>
 */
public final class AuditBacklogHeapHarness {

    private AuditBacklogHeapHarness() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("records", 200_000);
        AuditSink down = r -> {
            throw new RetriableHandoffException("audit store down (harness)");
        };
        try (Handoff handoff = Handoff.builder().auditSink(down).auditBacklogLimit(records).build()) {
            AuditRecord.Action[] actions = AuditRecord.Action.values();
            handoff.auditSink().record(record(actions, 0));   // the first failure starts the backlog and its retries
            long before = RetainedHeapHarness.settledHeap();
            for (int i = 1; i < records; i++) {
                handoff.auditSink().record(record(actions, i));
            }
            long after = RetainedHeapHarness.settledHeap();
            AuditBacklog b = handoff.auditBacklog();
            System.out.printf(Locale.ROOT, "%,d records waiting (%,d lost): heap %+.1f MB, %.0f bytes per waiting record%n",
                    b.waiting(), b.lost(), (after - before) / 1e6, (after - before) / (double) (b.waiting() - 1));
        }
    }

    /** A record as a connected chat handoff leaves them: a chat session id, a context id, an agent or system actor. */
    private static AuditRecord record(AuditRecord.Action[] actions, int i) {
        return new AuditRecord(Instant.now(), i % 2 == 0 ? "system" : "agent-" + (i % 64), actions[i % 8],
                SessionId.of("chat-" + UUID.randomUUID()), "ctx-" + UUID.randomUUID(), i % 2 == 0 ? "ok" : "support:CONNECTED");
    }
}
