package dev.handoff.desktop.internal;

import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.core.audit.Slf4jAuditSink;
import java.time.Clock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the desktop's audit records to the Handoff's {@link AuditSink} (one trail for the bot, core and the desktop).
 * Ids that came from a request are only written when they have the shape of an id; a failing sink is logged and never
 * fails the request.
 */
final class DeskAudit {

    private static final Logger LOG = LoggerFactory.getLogger(DeskAudit.class);
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final Clock clock;
    private volatile AuditSink sink = new Slf4jAuditSink();

    DeskAudit(Clock clock) {
        this.clock = clock;
    }

    void sink(AuditSink sink) {
        this.sink = sink;
    }

    void record(String actor, AuditRecord.Action action, SessionId session, String contextId, String outcome, String address) {
        try {
            sink.record(new AuditRecord(clock.instant(), AuditRecord.code(actor), action, session, idOrNull(contextId), AuditRecord.code(outcome), address));
        } catch (RuntimeException e) {
            LOG.warn("Audit sink failed to record {} by {}", action, AuditRecord.code(actor), e);
        }
    }

    /** A request-supplied id, or null when it does not look like one (never written as free text). */
    static String idOrNull(String id) {
        return id != null && CODE.matcher(id).matches() ? id : null;
    }
}
