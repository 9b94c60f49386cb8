package dev.handoff.core.metrics;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.MetricsSink;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns lifecycle events into the handoff KPIs and sends them to a {@link MetricsSink}:
 * <ul>
 *   <li>{@code handoff.sessions.ended{contained}} and the gauge {@code handoff.containment.rate} — sessions the AI
 *   finished without a human;</li>
 *   <li>{@code handoff.escalations{kind}} — escalation reasons;</li>
 *   <li>{@code handoff.transfer.attempts{outcome}}, {@code handoff.handoffs{result}} with gauges
 *   {@code handoff.transfer.success.rate} and {@code handoff.fallback.rate}; {@code handoff.fallbacks} counts each
 *   handoff that needed a fallback (connected after a failed attempt, or returned to the bot);</li>
 *   <li>timers {@code handoff.latency.agent_notified} and {@code handoff.latency.connected} (from the trigger), and
 *   {@code handoff.latency.phase{phase}}: from the trigger to the first time the handoff entered each later phase;</li>
 *   <li>timer {@code handoff.commitment.verification} (from the human connecting to each verification);</li>
 *   <li>gauge {@code handoff.repetition.rate} per ended session and counter {@code handoff.repetition.flagged} when
 *   it is over 10%;</li>
 *   <li>from the agents' feedback ({@code AgentActions.feedback}): escalation accuracy, whisper accuracy per field,
 *   first-contact resolution and customer effort ({@code handoff.feedback.*}, see {@link FeedbackKpis}).</li>
 * </ul>
 * Register it as a listener: {@code Handoff.builder().listener(new HandoffMetrics(sink))}.
 */
public final class HandoffMetrics implements HandoffListener {

    private final MetricsSink sink;
    private final ConcurrentMap<SessionId, SessionStats> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong contained = new AtomicLong();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong fellBack = new AtomicLong();
    private final FeedbackKpis feedback;

    /**
     * Metrics written to {@code sink}; keeps per-session state until each session ends.
     *
     * @param sink where counters, timers and gauges go
     */
    public HandoffMetrics(MetricsSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.feedback = new FeedbackKpis(sink);
    }

    private static final class SessionStats {
        final RepetitionRate repetition = new RepetitionRate();
        volatile Instant requestedAt;
        volatile Instant connectedAt;
        volatile boolean notified;
        volatile boolean failedAttempt;
        volatile boolean handedOff;
        final java.util.Set<HandoffPhase> phasesSeen = java.util.EnumSet.noneOf(HandoffPhase.class);
    }

    @Override
    public void onEvent(HandoffEvent event) {
        if (event instanceof HandoffEvent.FeedbackGiven f) {
            feedback.on(f);   // often after the session ended: no per-session state
            return;
        }
        SessionStats s = sessions.computeIfAbsent(event.sessionId(), id -> new SessionStats());
        if (event instanceof HandoffEvent.TurnRecorded t) {
            if (t.turn().speaker() == Speaker.CUSTOMER) {
                if (s.connectedAt == null) {
                    s.repetition.beforeHandoff(t.turn().text());
                } else {
                    s.repetition.afterHandoff(t.turn().text());
                }
            }
        } else if (event instanceof HandoffEvent.HandoffRequested r) {
            s.requestedAt = r.at();
            s.connectedAt = null;   // a second handoff after a hand-back starts its own measurements
            s.notified = false;
            s.failedAttempt = false;
            s.handedOff = true;
            synchronized (s.phasesSeen) {
                s.phasesSeen.clear();
            }
            requested.incrementAndGet();
            for (Reason reason : r.decision().reasons()) {
                sink.increment("handoff.escalations", Map.of("kind", reason.kind().name()));
            }
            sink.increment("handoff.requests", Map.of("action", r.decision().action().name()));
        } else if (event instanceof HandoffEvent.PhaseChanged p) {
            boolean first;
            synchronized (s.phasesSeen) {
                first = s.phasesSeen.add(p.phase());
            }
            if (first && p.phase() != HandoffPhase.REQUESTED && s.requestedAt != null) {
                sink.record("handoff.latency.phase", Duration.between(s.requestedAt, p.at()), Map.of("phase", p.phase().name()));
            }
        } else if (event instanceof HandoffEvent.AgentNotified a) {
            if (!s.notified && s.requestedAt != null) {
                s.notified = true;
                sink.record("handoff.latency.agent_notified", Duration.between(s.requestedAt, a.at()), Map.of());
            }
        } else if (event instanceof HandoffEvent.TransferFailed f) {
            s.failedAttempt = true;
            sink.increment("handoff.transfer.attempts", Map.of("outcome", f.result().outcome().name()));
        } else if (event instanceof HandoffEvent.HandoffCompleted c) {
            s.connectedAt = c.at();
            connected.incrementAndGet();
            if (s.failedAttempt) {
                fellBack.incrementAndGet();
                sink.increment("handoff.fallbacks", Map.of());
            }
            sink.increment("handoff.transfer.attempts", Map.of("outcome", c.result().outcome().name()));
            sink.increment("handoff.handoffs", Map.of("result", "connected"));
            if (s.requestedAt != null) {
                sink.record("handoff.latency.connected", Duration.between(s.requestedAt, c.at()), Map.of());
            }
            rates();
        } else if (event instanceof HandoffEvent.ReturnedToBot r) {
            if (s.requestedAt != null && s.connectedAt == null) {
                fellBack.incrementAndGet();
                sink.increment("handoff.fallbacks", Map.of());
                sink.increment("handoff.handoffs", Map.of("result", "returned_to_bot"));
                rates();
            }
        } else if (event instanceof HandoffEvent.CommitmentUpdated u) {
            if (s.connectedAt != null) {
                sink.record("handoff.commitment.verification", Duration.between(s.connectedAt, u.at()),
                        Map.of("status", u.commitment().status().name()));
            }
        } else if (event instanceof HandoffEvent.SessionEnded e) {
            sessions.remove(e.sessionId());
            long n = ended.incrementAndGet();
            long c = s.handedOff ? contained.get() : contained.incrementAndGet();
            sink.increment("handoff.sessions.ended", Map.of("contained", Boolean.toString(!s.handedOff)));
            sink.gauge("handoff.containment.rate", (double) c / n, Map.of());
            if (s.connectedAt != null) {
                sink.gauge("handoff.repetition.rate", s.repetition.rate(), Map.of());
                if (s.repetition.flagged()) {
                    sink.increment("handoff.repetition.flagged", Map.of());
                }
            }
        }
    }

    private void rates() {
        long r = requested.get();
        if (r > 0) {
            sink.gauge("handoff.transfer.success.rate", (double) connected.get() / r, Map.of());
            sink.gauge("handoff.fallback.rate", (double) fellBack.get() / r, Map.of());
        }
    }

    /**
     * The repetition rate measured so far for an open session (0 before the human speaks with the customer).
     *
     * @param session the conversation
     * @return the share of the customer's phrases to the human that repeat something said to the AI, 0 to 1; 0 for
     *         an unknown or ended session
     */
    public double repetitionRate(SessionId session) {
        SessionStats s = sessions.get(session);
        return s == null ? 0 : s.repetition.rate();
    }
}
