package dev.handoff.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.HandoffPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The builder's SIP propagator and the interceptor's two forms, on events fed to the listener directly. */
class PropagationOptionsTest {

    private static final SessionId SESSION = SessionId.of("voice-1");

    private static void requested(HandoffTracing tracing) {
        tracing.onEvent(new HandoffEvent.PhaseChanged(SESSION, Instant.parse("2026-12-02T10:00:00Z"), "h-1", HandoffPhase.REQUESTED, 0));
    }

    /** Writes {@code x-trace: <trace id>} and nothing else. */
    static final class XTrace implements TextMapPropagator {
        @Override
        public Collection<String> fields() {
            return List.of("x-trace");
        }

        @Override
        public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
            setter.set(carrier, "x-trace", io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext().getTraceId());
        }

        @Override
        public <C> Context extract(Context context, C carrier, io.opentelemetry.context.propagation.TextMapGetter<C> getter) {
            return context;
        }
    }

    @Test
    void sip_fields_are_w3c_by_default_and_the_builders_propagator_when_set() {
        try (Telemetry telemetry = new Telemetry()) {
            HandoffTracing w3c = HandoffTracing.create(telemetry.sdk);
            HandoffTracing custom = HandoffTracing.builder(telemetry.sdk).propagator(new XTrace()).build();
            requested(w3c);
            requested(custom);

            assertThat(w3c.fields(SESSION)).containsOnlyKeys("traceparent");
            assertThat(custom.fields(SESSION)).containsOnlyKeys("x-trace");
            assertThat(custom.fields(SESSION).get("x-trace")).hasSize(32).isNotEqualTo(w3c.fields(SESSION).get("traceparent").split("-")[1]);
        }
    }

    @Test
    void interceptor_writes_w3c_or_what_the_applications_propagators_write() throws Exception {
        try (Telemetry telemetry = new Telemetry(); MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse());
            server.enqueue(new MockResponse());
            HandoffTracing tracing = HandoffTracing.create(telemetry.sdk);
            requested(tracing);
            io.opentelemetry.sdk.OpenTelemetrySdk baggageOnly = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
                    .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(W3CBaggagePropagator.getInstance()))
                    .build();

            try (HandoffPropagator.Scope scope = tracing.open(SESSION)) {
                call(server, TraceparentInterceptor.w3c());
                call(server, TraceparentInterceptor.of(baggageOnly));
            }

            RecordedRequest w3c = server.takeRequest();
            RecordedRequest configured = server.takeRequest();
            tracing.onEvent(new HandoffEvent.SessionEnded(SESSION, Instant.parse("2026-12-02T10:00:01Z"), "test over"));
            SpanData requested = telemetry.spans().stream().filter(s -> s.getName().equals("handoff.requested")).findFirst().orElseThrow();
            assertThat(w3c.getHeader("traceparent")).contains("-" + requested.getSpanId() + "-");
            assertThat(configured.getHeader("traceparent")).isNull();   // the application chose baggage only
            assertThat(tracing.fields(SESSION)).isEmpty();   // forgotten when the session ended
        }
    }

    private static void call(MockWebServer server, TraceparentInterceptor interceptor) throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor).build();
        client.newCall(new Request.Builder().url(server.url("/")).build()).execute().close();
    }
}
