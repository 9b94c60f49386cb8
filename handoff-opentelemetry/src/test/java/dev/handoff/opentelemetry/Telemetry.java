package dev.handoff.opentelemetry;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Comparator;
import java.util.List;

/** A real OpenTelemetry SDK whose spans land, as they end, in the SDK's in-memory exporter. */
final class Telemetry implements AutoCloseable {

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    /** Every ended span, in the order they ended. */
    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    /** The one ended span named {@value HandoffTracing#HANDOFF_SPAN}. */
    SpanData handoffSpan() {
        List<SpanData> roots = spans().stream().filter(s -> s.getName().equals(HandoffTracing.HANDOFF_SPAN)).toList();
        if (roots.size() != 1) {
            throw new AssertionError("expected one handoff span, got " + spans());
        }
        return roots.get(0);
    }

    /** The phase spans under {@code parent}, by their phase sequence number. */
    List<SpanData> phases(SpanData parent) {
        return spans().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                .sorted(Comparator.comparing(s -> s.getAttributes().get(HandoffTracing.PHASE_SEQUENCE))).toList();
    }

    static boolean isRoot(SpanData span) {
        return span.getParentSpanId().equals(SpanId.getInvalid());
    }

    @Override
    public void close() {
        sdk.close();
    }
}
