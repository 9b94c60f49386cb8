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
    private final ConcurrentMap<SessionId, HandoffTrace.Requested> requested = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, HandoffTrace> traces = new ConcurrentHashMap<>();

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
            requested.put(session, new HandoffTrace.Requested(r.decision().reasons().stream().map(Reason::kind).map(Enum::name).distinct().toList(),
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
            HandoffTrace t = traces.remove(session);
            if (t != null) {
                t.endAll(event, "SESSION_ENDED");
            }
            return;
        }
        HandoffTrace t = traces.get(session);
        if (t != null) {
            t.on(event);
            if (t.done()) {
                traces.remove(session, t);
            }
        }
    }

    private void phaseChanged(HandoffEvent.PhaseChanged p) {
        SessionId session = p.sessionId();
        HandoffTrace t = traces.get(session);
        if (t == null || !t.handoffId.equals(p.handoffId())) {
            if (t != null) {
                t.endAll(p, "SUPERSEDED");
            }
            Context parent = parents.remove(session);
            HandoffTrace.Requested why = p.phase() == HandoffPhase.REQUESTED ? requested.remove(session) : null;
            t = new HandoffTrace(tracer, p, parent == null ? Context.root() : parent, why);
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
        HandoffTrace t = traces.get(session);
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
        HandoffTrace t = traces.get(session);
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
