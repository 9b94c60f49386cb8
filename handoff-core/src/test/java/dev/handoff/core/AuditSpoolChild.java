package dev.handoff.core;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@link AuditSpoolTest}: a Handoff whose audit sink is down, with an audit spool; records one
 * {@code CONTEXT_VIEWED} per session {@code s-0, s-1, ...} through the Handoff's audit path and prints
 * {@code kept <session>} after each call returns, then waits to be killed.
 */
public final class AuditSpoolChild {

    private AuditSpoolChild() {
    }

    public static void main(String[] args) throws Exception {
        AuditSink down = r -> {
            throw new RetriableHandoffException("audit store unavailable (test)");
        };
        Handoff handoff = Handoff.builder().auditSink(down).auditSpool(Path.of(args[0])).build();
        for (int i = 0; i < 2_000; i++) {
            handoff.auditSink().record(new AuditRecord(Instant.now(), "alice", AuditRecord.Action.CONTEXT_VIEWED, SessionId.of("s-" + i),
                    "ctx-" + i, "ok"));
            System.out.println("kept s-" + i);
            System.out.flush();
        }
        new CountDownLatch(1).await();   // until killed; never closed
    }
}
