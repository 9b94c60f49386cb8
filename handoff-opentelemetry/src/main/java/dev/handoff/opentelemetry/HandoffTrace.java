package dev.handoff.opentelemetry;

import static dev.handoff.opentelemetry.HandoffTracing.CAUSE;
import static dev.handoff.opentelemetry.HandoffTracing.CONTEXT_BYTES;
import static dev.handoff.opentelemetry.HandoffTracing.CONTEXT_ID;
import static dev.handoff.opentelemetry.HandoffTracing.HANDOFF_ID;
import static dev.handoff.opentelemetry.HandoffTracing.HANDOFF_SPAN;
import static dev.handoff.opentelemetry.HandoffTracing.OUTCOME;
import static dev.handoff.opentelemetry.HandoffTracing.PHASE;
import static dev.handoff.opentelemetry.HandoffTracing.PHASE_SEQUENCE;
import static dev.handoff.opentelemetry.HandoffTracing.PREFLIGHT_OK;
import static dev.handoff.opentelemetry.HandoffTracing.PRIORITY;
import static dev.handoff.opentelemetry.HandoffTracing.QUEUE_POSITION;
import static dev.handoff.opentelemetry.HandoffTracing.ROUTE_TARGETS;
import static dev.handoff.opentelemetry.HandoffTracing.SESSION_ID;
import static dev.handoff.opentelemetry.HandoffTracing.TARGET_ID;
import static dev.handoff.opentelemetry.HandoffTracing.TARGET_KIND;
import static dev.handoff.opentelemetry.HandoffTracing.TRANSFER_CODE;
import static dev.handoff.opentelemetry.HandoffTracing.TRANSFER_MODE;
import static dev.handoff.opentelemetry.HandoffTracing.TRANSFER_OUTCOME;
import static dev.handoff.opentelemetry.HandoffTracing.TRIGGERS;
import static dev.handoff.opentelemetry.HandoffTracing.cause;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.event.HandoffEvent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;

/** The spans of one session's handoff; changed only by that session's events, which arrive one at a time. */
final class HandoffTrace {

    /** What the HandoffRequested event said, kept until the handoff's first phase opens its span. */
    record Requested(List<String> triggers, String priority) {
    }

    private final Tracer tracer;
    final String handoffId;
    final SessionId session;
    final Span root;
    Span phase;
    HandoffPhase phaseKind;
    /** When the handoff span and the open phase span started: no span ends before it starts. */
    final java.time.Instant rootStart;
    java.time.Instant phaseStart;
    Target target;
    boolean outcome;
    boolean done;
    /** What {@link #fields} and {@link #open} use: the open phase span, else the handoff span. */
    volatile Span current;

    HandoffTrace(Tracer tracer, HandoffEvent.PhaseChanged first, Context parent, Requested why) {
        this.tracer = tracer;
        this.handoffId = first.handoffId();
        this.session = first.sessionId();
        this.rootStart = first.at();
        var b = tracer.spanBuilder(HANDOFF_SPAN).setParent(parent).setStartTimestamp(first.at())
                .setAttribute(HANDOFF_ID, handoffId).setAttribute(SESSION_ID, session.value());
        if (why != null) {
            b.setAttribute(TRIGGERS, why.triggers());
            if (why.priority() != null) {
                b.setAttribute(PRIORITY, why.priority());
            }
        }
        root = b.startSpan();
        current = root;
        startPhase(first);
    }

    void next(HandoffEvent.PhaseChanged p) {
        if (phase != null) {
            endPhase(p.at());
        }
        startPhase(p);
    }

    private void startPhase(HandoffEvent.PhaseChanged p) {
        var b = tracer.spanBuilder("handoff." + p.phase().name().toLowerCase(java.util.Locale.ROOT))
                .setParent(Context.root().with(root)).setStartTimestamp(p.at())
                .setAttribute(HANDOFF_ID, handoffId).setAttribute(SESSION_ID, session.value())
                .setAttribute(PHASE, p.phase().name()).setAttribute(PHASE_SEQUENCE, p.sequence());
        if (target != null && attemptPhase(p.phase())) {
            b.setAttribute(TARGET_KIND, target.kind().name()).setAttribute(TARGET_ID, target.id());
        }
        Span span = b.startSpan();
        phaseKind = p.phase();
        phaseStart = p.at();
        if (!outcome) {
            phase = span;
            current = span;
        } else if (p.phase().isFinal()) {
            phase = span;   // a hand-back: ended by the ReturnedToBot that follows, which names the cause
        } else {
            span.end(p.at());   // after the outcome (VERIFIED): a mark in the trace
        }
    }

    void on(HandoffEvent e) {
        Span span = phase != null ? phase : root;
        if (e instanceof HandoffEvent.HandoffQueued q) {
            span.addEvent("handoff.queued", Attributes.of(QUEUE_POSITION, (long) q.position()), q.at());
        } else if (e instanceof HandoffEvent.ContextPackaged c) {
            root.setAttribute(CONTEXT_ID, c.contextId());
            span.addEvent("handoff.context.packaged", Attributes.of(CONTEXT_ID, c.contextId(), CONTEXT_BYTES, (long) c.bytes()), c.at());
        } else if (e instanceof HandoffEvent.RouteSelected r) {
            span.addEvent("handoff.route.selected", Attributes.of(ROUTE_TARGETS, (long) r.route().targets().size()), r.at());
        } else if (e instanceof HandoffEvent.PreflightChecked c) {
            target(c.target());
            span.addEvent("handoff.preflight", targetAttributes(c.target()).toBuilder().put(PREFLIGHT_OK, c.result().ok()).build(),
                    c.at());
        } else if (e instanceof HandoffEvent.AgentNotified n) {
            target(n.target());
            span.addEvent("handoff.agent.notified", targetAttributes(n.target()), n.at());
        } else if (e instanceof HandoffEvent.TransferStarted s) {
            target(s.target());
            span.addEvent("handoff.transfer.started", targetAttributes(s.target()).toBuilder()
                    .put(TRANSFER_MODE, s.mode().name()).build(), s.at());
        } else if (e instanceof HandoffEvent.TransferProgress p) {
            span.addEvent("handoff.transfer.progress", targetAttributes(p.target()).toBuilder()
                    .put(TRANSFER_CODE, (long) p.code()).build(), p.at());
        } else if (e instanceof HandoffEvent.TransferFailed f) {
            var a = targetAttributes(f.result().target()).toBuilder()
                    .put(TRANSFER_OUTCOME, f.result().outcome().name()).put(TRANSFER_MODE, f.result().mode().name());
            if (f.result().protocolCode() != null) {
                a.put(TRANSFER_CODE, (long) f.result().protocolCode());
            }
            span.addEvent("handoff.transfer.failed", a.build(), f.at());
        } else if (e instanceof HandoffEvent.HandoffCompleted c) {
            target(c.result().target());
            root.setAttribute(TARGET_KIND, c.result().target().kind().name());
            root.setAttribute(TARGET_ID, c.result().target().id());
            decide(c, "CONNECTED", "CONNECTED", false);
        } else if (e instanceof HandoffEvent.ReturnedToBot r) {
            String cause = cause(r.reason());
            if (!outcome) {
                decide(r, "RETURNED_TO_BOT", cause, true);
            } else if (phase != null) {   // handed back after the agent had it: not a failure
                phase.setAttribute(OUTCOME, "RETURNED_TO_BOT");
                phase.setAttribute(CAUSE, cause);
                endPhase(r.at());
                done = true;
            }
        }
    }

    private void decide(HandoffEvent e, String result, String cause, boolean failed) {
        outcome = true;
        for (Span s : phase == null ? List.of(root) : List.of(phase, root)) {
            s.setAttribute(OUTCOME, result);
            s.setAttribute(CAUSE, cause);
            if (failed) {
                s.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, cause);
            }
        }
        java.time.Instant end = latest(phase != null ? phaseStart : rootStart, e.at());
        if (phase != null) {
            endPhase(end);
        }
        root.end(end);   // the outcome phase and the handoff end together
        current = root;
        done = failed;   // a connected handoff may still be verified or handed back
    }

    void endAll(HandoffEvent e, String cause) {
        if (phase != null) {
            phase.setAttribute(CAUSE, cause);
            endPhase(e.at());
        }
        if (!outcome) {
            root.setAttribute(CAUSE, cause);
            root.end(latest(rootStart, e.at()));
            outcome = true;
        }
        done = true;
    }

    boolean done() {
        return done;
    }

    private void endPhase(java.time.Instant at) {
        phase.end(latest(phaseStart, at));
        phase = null;
    }

    private void target(Target t) {
        target = t;
        if (phase != null && attemptPhase(phaseKind)) {
            phase.setAttribute(TARGET_KIND, t.kind().name());
            phase.setAttribute(TARGET_ID, t.id());
        }
    }

    /** Events are stamped as they are made, a moment before they are ordered: an end never precedes its start. */
    private static java.time.Instant latest(java.time.Instant start, java.time.Instant at) {
        return at.isBefore(start) ? start : at;
    }

    private static boolean attemptPhase(HandoffPhase p) {
        return p == HandoffPhase.VALIDATED || p == HandoffPhase.AGENT_NOTIFIED || p == HandoffPhase.TRANSFERRING
                || p == HandoffPhase.CONNECTED;
    }

    private static Attributes targetAttributes(Target t) {
        return Attributes.of(TARGET_KIND, t.kind().name(), TARGET_ID, t.id());
    }
}
