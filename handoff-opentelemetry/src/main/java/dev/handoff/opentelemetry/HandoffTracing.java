package dev.handoff.opentelemetry;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.HandoffPropagator;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Traces handoffs with OpenTelemetry: one span per handoff ({@value #HANDOFF_SPAN}) with a child span per phase
 * ({@code handoff.requested}, {@code handoff.packaged}, ...), and the trace context carried onto the handoff's outbound
 * calls. It is both a {@link HandoffListener} (it builds the spans from the handoff's events, which reach it in order
 * per session) and the {@link HandoffPropagator} core asks for that context, so it is registered twice:
 * {@code Handoff.builder().listener(tracing).propagator(tracing)}.
 *
 * <p>Spans carry ids and codes only: handoff and session ids, phase, outcome, cause code, target kind and id, context
 * id and size, transfer mode, outcome and protocol code, trigger kinds. Never transcript text, customer data, tickets,
 * SIP addresses, free-text reasons or agent notes.
 *
 * <p>The handoff span starts with the {@code REQUESTED} phase, as a child of the context given to
 * {@link #parent(SessionId, Context)} for that session, else as a trace root; it ends at the outcome (the agent
 * connected, or the bot resumed: then its status is {@code ERROR} with the cause code as description). Each phase span
 * ends when the next phase starts. Phases after the outcome (the agent's verification, a hand-back) are zero-length
 * children of the ended handoff span. Timestamps are the events' (the Handoff's injected clock).
 *
 * <p>Thread-safe: events arrive on Handoff's threads, one at a time per session; {@link #fields} and {@link #open} are
 * called concurrently by core's workers. Keeps one small entry per session with a traced handoff, dropped when the
 * session ends.
 */
public final class HandoffTracing implements HandoffListener, HandoffPropagator {

    /** The instrumentation scope name of the tracer. */
    public static final String INSTRUMENTATION_NAME = "dev.handoff.opentelemetry";
    /** Name of the span that covers one handoff from its request to its outcome. */
    public static final String HANDOFF_SPAN = "handoff";

    /** The handoff's id ({@code h-...}). */
    public static final AttributeKey<String> HANDOFF_ID = AttributeKey.stringKey("handoff.id");
    /** The conversation's {@link SessionId}. */
    public static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("handoff.session.id");
    /** A {@link HandoffPhase} name. */
    public static final AttributeKey<String> PHASE = AttributeKey.stringKey("handoff.phase");
    /** The phase change's sequence number within the handoff. */
    public static final AttributeKey<Long> PHASE_SEQUENCE = AttributeKey.longKey("handoff.phase.sequence");
    /** {@code CONNECTED} or {@code RETURNED_TO_BOT}. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("handoff.outcome");
    /** Why it ended so: a {@code HandoffOutcome.Cause} name, {@code HANDED_BACK}, or {@code UNKNOWN}. */
    public static final AttributeKey<String> CAUSE = AttributeKey.stringKey("handoff.cause");
    /** The trigger kinds of the decision that asked for a human. */
    public static final AttributeKey<List<String>> TRIGGERS = AttributeKey.stringArrayKey("handoff.triggers");
    /** The decision's priority. */
    public static final AttributeKey<String> PRIORITY = AttributeKey.stringKey("handoff.priority");
    /** A {@link Target.Kind} name. */
    public static final AttributeKey<String> TARGET_KIND = AttributeKey.stringKey("handoff.target.kind");
    /** A target's id (never its address). */
    public static final AttributeKey<String> TARGET_ID = AttributeKey.stringKey("handoff.target.id");
    /** The packaged context's id. */
    public static final AttributeKey<String> CONTEXT_ID = AttributeKey.stringKey("handoff.context.id");
    /** The signed context's size in bytes. */
    public static final AttributeKey<Long> CONTEXT_BYTES = AttributeKey.longKey("handoff.context.bytes");
    /** Position in the waiting line. */
    public static final AttributeKey<Long> QUEUE_POSITION = AttributeKey.longKey("handoff.queue.position");
    /** A transfer mode name. */
    public static final AttributeKey<String> TRANSFER_MODE = AttributeKey.stringKey("handoff.transfer.mode");
    /** How one transfer attempt ended ({@code TransferResult.Outcome}). */
    public static final AttributeKey<String> TRANSFER_OUTCOME = AttributeKey.stringKey("handoff.transfer.outcome");
    /** The protocol status of a transfer step (SIP 202, 486, ...). */
    public static final AttributeKey<Long> TRANSFER_CODE = AttributeKey.longKey("handoff.transfer.code");
    /** Whether a preflight passed. */
    public static final AttributeKey<Boolean> PREFLIGHT_OK = AttributeKey.booleanKey("handoff.preflight.ok");
    /** Number of targets in a route. */
    public static final AttributeKey<Long> ROUTE_TARGETS = AttributeKey.longKey("handoff.route.targets");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final ConcurrentMap<SessionId, Context> parents = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, Requested> requested = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, Trace> traces = new ConcurrentHashMap<>();

    private HandoffTracing(Builder b) {
        this.tracer = b.openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.propagator = b.propagator;
    }

    /** Tracing on {@code openTelemetry}'s tracer, with W3C Trace Context on outbound calls. */
    public static HandoffTracing create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    /** @param openTelemetry the application's instance (the SDK, the agent's, or {@link OpenTelemetry#noop()}) */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(openTelemetry);
    }

    /**
     * The next handoff of this session becomes a child of {@code parent} (the bot's request, extracted from its
     * inbound call, say); without one it is a trace root. Called by the bot host on its own thread, before
     * {@code HandoffSession.handOff}; used once, and forgotten when the session ends.
     */
    public void parent(SessionId session, Context parent) {
        parents.put(Objects.requireNonNull(session, "session"), Objects.requireNonNull(parent, "parent"));
    }

    /** Called by Handoff, in order per session; never throws for an event it does not trace. */
    @Override
    public void onEvent(HandoffEvent event) {
        SessionId session = event.sessionId();
        if (event instanceof HandoffEvent.HandoffRequested r) {
            requested.put(session, new Requested(r.decision().reasons().stream().map(Reason::kind).map(Enum::name).distinct().toList(),
                    r.decision().priority() == null ? null : r.decision().priority().name()));
            return;
        }
        if (event instanceof HandoffEvent.PhaseChanged p) {
            phaseChanged(p);
            return;
        }
        if (event instanceof HandoffEvent.SessionEnded) {
            parents.remove(session);
            requested.remove(session);
            Trace t = traces.remove(session);
            if (t != null) {
                t.endAll(event, "SESSION_ENDED");
            }
            return;
        }
        Trace t = traces.get(session);
        if (t != null) {
            t.on(event);
            if (t.done()) {
                traces.remove(session, t);
            }
        }
    }

    private void phaseChanged(HandoffEvent.PhaseChanged p) {
        SessionId session = p.sessionId();
        Trace t = traces.get(session);
        if (t == null || !t.handoffId.equals(p.handoffId())) {
            if (t != null) {
                t.endAll(p, "SUPERSEDED");
            }
            Context parent = parents.remove(session);
            Requested why = p.phase() == HandoffPhase.REQUESTED ? requested.remove(session) : null;
            t = new Trace(p, parent == null ? Context.root() : parent, why);
            traces.put(session, t);
        } else {
            t.next(p);
        }
        if (t.done()) {
            traces.remove(session, t);
        }
    }

    /** The W3C {@code traceparent} (and {@code tracestate}) of the session's current phase span; empty without one. */
    @Override
    public Map<String, String> fields(SessionId session) {
        Trace t = traces.get(session);
        Span span = t == null ? null : t.current;
        if (span == null) {
            return Map.of();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        propagator.inject(Context.root().with(span), fields, (carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        return Collections.unmodifiableMap(fields);
    }

    /** Makes the session's current phase span {@link Context#current() current} on this thread until closed. */
    @Override
    public HandoffPropagator.Scope open(SessionId session) {
        Trace t = traces.get(session);
        Span span = t == null ? null : t.current;
        if (span == null) {
            return HandoffPropagator.Scope.NOOP;
        }
        io.opentelemetry.context.Scope scope = Context.current().with(span).makeCurrent();
        return scope::close;
    }

    /**
     * Makes the trace context in {@code fields} (W3C {@code traceparent} and {@code tracestate}, as {@link #fields}
     * wrote them when a push was queued in the durable outbox) {@link Context#current() current} on this thread until
     * closed, so a {@link TraceparentInterceptor} writes it into the retried push: the same trace id, with the span
     * that queued it as parent. Read with W3C Trace Context whatever {@link Builder#propagator} is. Fields that hold
     * no valid span context make nothing current.
     */
    @Override
    public HandoffPropagator.Scope resume(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return HandoffPropagator.Scope.NOOP;
        }
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), fields, MAP_GETTER);
        if (!Span.fromContext(extracted).getSpanContext().isValid()) {
            return HandoffPropagator.Scope.NOOP;   // OutboxEntry.traceFields already dropped (and logged) malformed values
        }
        io.opentelemetry.context.Scope scope = extracted.makeCurrent();
        return scope::close;
    }

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    /** The trigger kinds and priority of the decision that started a handoff. */
    private record Requested(List<String> triggers, String priority) {
    }

    /** The spans of one session's handoff; changed only by that session's events, which arrive one at a time. */
    private final class Trace {
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

        Trace(HandoffEvent.PhaseChanged first, Context parent, Requested why) {
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

    /**
     * The cause code of a {@code ReturnedToBot} reason: core writes {@code "CAUSE: explanation"} when the bot resumes and
     * {@code "handed back by ..."} for a hand-back. The explanation and the agent's note are free text and stay out.
     */
    static String cause(String reason) {
        if (reason == null) {
            return "UNKNOWN";
        }
        int colon = reason.indexOf(':');
        String head = colon < 0 ? reason : reason.substring(0, colon);
        if (!head.isEmpty() && head.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || c == '_')) {
            return head;
        }
        return reason.startsWith("handed back") ? "HANDED_BACK" : "UNKNOWN";
    }

    /** Options of {@link HandoffTracing}. */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        }

        /**
         * How the trace context is written into SIP headers by {@link HandoffTracing#fields}. Default
         * {@link W3CTraceContextPropagator} ({@code traceparent}, {@code tracestate}), whatever the application's
         * {@code OpenTelemetry} propagators are: a SIP peer reads one well-known header.
         */
        public Builder propagator(TextMapPropagator value) {
            this.propagator = Objects.requireNonNull(value, "propagator");
            return this;
        }

        /** A new tracing; register it as both listener and propagator of one {@code Handoff}. */
        public HandoffTracing build() {
            return new HandoffTracing(this);
        }
    }
}
