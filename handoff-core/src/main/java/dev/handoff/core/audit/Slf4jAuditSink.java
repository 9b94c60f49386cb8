package dev.handoff.core.audit;

import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default audit sink: one line per record on the {@code handoff.audit} logger (ids and codes only). */
public final class Slf4jAuditSink implements AuditSink {

    private static final Logger AUDIT = LoggerFactory.getLogger("handoff.audit");

    @Override
    public void record(AuditRecord r) {
        AUDIT.info("at={} actor={} action={} session={} context={} outcome={}", r.at(), r.actor(), r.action(), r.sessionId(),
                r.contextId(), r.outcome());
    }
}
