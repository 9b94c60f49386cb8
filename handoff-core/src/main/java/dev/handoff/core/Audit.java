package dev.handoff.core;

import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes audit records; a failing sink is logged and never stops a handoff. Actors are reduced to a safe code. */
final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final AuditSink sink;
    private final Clock clock;

    Audit(AuditSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void record(String actor, AuditRecord.Action action, SessionId sessionId, String contextId, String outcome) {
        record(actor, action, sessionId, contextId, outcome, null);
    }

    /** A record that also names the network address the actor acted from (null for none). */
    void record(String actor, AuditRecord.Action action, SessionId sessionId, String contextId, String outcome,
                String clientAddress) {
        try {
            sink.record(new AuditRecord(clock.instant(), code(actor), action, sessionId, contextId, code(outcome), clientAddress));
        } catch (RuntimeException e) {
            LOG.warn("Audit sink failed to record {} for session {}", action, sessionId, e);
        }
    }

    /** A record stamped now, to be written later with {@link #recordAll} beside the records of the same step. */
    AuditRecord entry(String actor, AuditRecord.Action action, SessionId sessionId, String contextId, String outcome) {
        return new AuditRecord(clock.instant(), code(actor), action, sessionId, contextId, code(outcome), null);
    }

    /** Writes the records of one step in order, in one write where the sink can ({@link AuditSink#recordAll}). */
    void recordAll(List<AuditRecord> records) {
        try {
            sink.recordAll(records);
        } catch (RuntimeException e) {
            LOG.warn("Audit sink failed to record {} for session {}", records.stream().map(AuditRecord::action).toList(),
                    records.get(0).sessionId(), e);
        }
    }

    /** Letters, digits and {@code _ . : -}, at most 64 characters; anything else becomes {@code _}. */
    static String code(String s) {
        if (s == null || s.isEmpty()) {
            return "unknown";
        }
        int n = Math.min(s.length(), 64);
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.'
                    || ch == ':' || ch == '-';
            if (!ok) {
                if (out == null) {
                    out = s.substring(0, n).toCharArray();
                }
                out[i] = '_';
            }
        }
        return out != null ? new String(out) : n == s.length() ? s : s.substring(0, n);
    }
}
