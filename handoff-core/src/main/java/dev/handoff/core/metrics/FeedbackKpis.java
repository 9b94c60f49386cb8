package dev.handoff.core.metrics;

import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffFeedback.Accuracy;
import dev.handoff.api.HandoffFeedback.WhisperField;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.MetricsSink;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The KPIs of the agents' feedback ({@link HandoffEvent.FeedbackGiven}), for {@link HandoffMetrics}. Tags hold codes
 * only (enum names, numbers), never text:
 * <ul>
 *   <li>{@code handoff.feedback.escalation{verdict, kind}}: was the handoff needed ({@code NEEDED}, {@code NOT_NEEDED},
 *   {@code LATE}), by the trigger kind that led it ({@code none} when unknown); gauge {@code handoff.escalation.accuracy}:
 *   the share of rated handoffs that were needed and on time;</li>
 *   <li>{@code handoff.feedback.whisper{field, accuracy}} per rated field; gauge {@code handoff.whisper.accuracy{field}}:
 *   the share of ratings of that field that were {@code ACCURATE};</li>
 *   <li>{@code handoff.feedback.resolution{first_contact}}; gauge {@code handoff.first_contact_resolution.rate};</li>
 *   <li>{@code handoff.feedback.effort{score}} when a score was given; gauge {@code handoff.customer_effort.mean};</li>
 *   <li>{@code handoff.feedback.commitments{verdict}} per commitment verdict in the feedback.</li>
 * </ul>
 * Thread-safe.
 */
final class FeedbackKpis {

    private final MetricsSink sink;
    private final AtomicLong rated = new AtomicLong();
    private final AtomicLong needed = new AtomicLong();
    private final AtomicLong resolved = new AtomicLong();
    private final AtomicLong efforts = new AtomicLong();
    private final AtomicLong effortSum = new AtomicLong();
    private final Map<WhisperField, long[]> fields = new EnumMap<>(WhisperField.class);

    FeedbackKpis(MetricsSink sink) {
        this.sink = sink;
        for (WhisperField f : WhisperField.values()) {
            fields.put(f, new long[2]);
        }
    }

    void on(HandoffEvent.FeedbackGiven event) {
        HandoffFeedback f = event.feedback();
        long n = rated.incrementAndGet();
        long ok = f.escalation() == HandoffFeedback.Escalation.NEEDED ? needed.incrementAndGet() : needed.get();
        sink.increment("handoff.feedback.escalation", Map.of("verdict", f.escalation().name(),
                "kind", event.leadingKind() == null ? "none" : event.leadingKind().name()));
        sink.gauge("handoff.escalation.accuracy", (double) ok / n, Map.of());
        for (Map.Entry<WhisperField, Accuracy> e : f.whisper().entrySet()) {
            long[] counts = fields.get(e.getKey());
            double share;
            synchronized (counts) {
                counts[0]++;
                if (e.getValue() == Accuracy.ACCURATE) {
                    counts[1]++;
                }
                share = (double) counts[1] / counts[0];
            }
            sink.increment("handoff.feedback.whisper", Map.of("field", e.getKey().name(), "accuracy", e.getValue().name()));
            sink.gauge("handoff.whisper.accuracy", share, Map.of("field", e.getKey().name()));
        }
        long r = f.resolved() ? resolved.incrementAndGet() : resolved.get();
        sink.increment("handoff.feedback.resolution", Map.of("first_contact", Boolean.toString(f.resolved())));
        sink.gauge("handoff.first_contact_resolution.rate", (double) r / n, Map.of());
        if (f.customerEffort() != null) {
            long count;
            long sum;
            synchronized (efforts) {
                count = efforts.incrementAndGet();
                sum = effortSum.addAndGet(f.customerEffort());
            }
            sink.increment("handoff.feedback.effort", Map.of("score", Integer.toString(f.customerEffort())));
            sink.gauge("handoff.customer_effort.mean", (double) sum / count, Map.of());
        }
        for (HandoffFeedback.CommitmentVerdict v : f.commitments()) {
            sink.increment("handoff.feedback.commitments", Map.of("verdict", v.verdict().name()));
        }
    }
}
