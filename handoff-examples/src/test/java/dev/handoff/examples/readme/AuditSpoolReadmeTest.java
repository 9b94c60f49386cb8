package dev.handoff.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.core.Handoff;
import dev.handoff.core.audit.InMemoryAuditSink;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * handoff-core's README "Audit records while the sink is unavailable" block: a record the sink could not take before
 * the Handoff closed is written by the next Handoff on the same spool.
 */
class AuditSpoolReadmeTest {

    @TempDir
    Path dir;

    @Test
    void readme_audit_spool_block_writes_after_a_restart_what_the_sink_could_not_take() {
        AuditRecord viewed = new AuditRecord(Instant.parse("2026-12-06T10:00:00Z"), "alice", AuditRecord.Action.CONTEXT_VIEWED,
                SessionId.of("chat-1042"), "ctx-1042", "ok");
        AuditSink auditSink = r -> {
            throw new RetriableHandoffException("audit database down (test)");
        };
        // tag::audit-spool[]
        Handoff handoff = Handoff.builder()
                .auditSink(auditSink)                                    // handoff-postgres' audit table, say
                .auditSpool(dir.resolve("audit").resolve("spool.journal"))   // one file per instance
                .build();
        // end::audit-spool[]
        handoff.auditSink().record(viewed);   // as the desktop does: the sink is down, the record is kept
        handoff.close();

        InMemoryAuditSink back = new InMemoryAuditSink();
        Handoff.builder().auditSink(back).auditSpool(dir.resolve("audit").resolve("spool.journal")).build().close();
        assertThat(back.records()).containsExactly(viewed);
    }
}
