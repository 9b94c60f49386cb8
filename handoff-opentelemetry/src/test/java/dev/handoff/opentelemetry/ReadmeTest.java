package dev.handoff.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.webhook.WebhookAdapter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/** The README's blocks (regions below, checked character for character by ReadmeSnippetsTest), run. */
class ReadmeTest {

    @Test
    void wiring_block_traces_a_handoff_and_its_crm_calls() throws Exception {
        try (Telemetry telemetry = new Telemetry(); MockWebServer server = new MockWebServer()) {
            server.enqueue(new MockResponse().setResponseCode(204));
            server.enqueue(new MockResponse().setResponseCode(202));
            OpenTelemetry openTelemetry = telemetry.sdk;
            String crmUrl = server.url("/hooks/handoff").toString();
            String lookupUrl = server.url("/hooks/lookup").toString();
            String webhookSecret = "a-webhook-secret-of-32-bytes-ok!";
            CrmHttpClient.Builder crmTransport = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true);

            // tag::wiring[]
            HandoffTracing tracing = HandoffTracing.create(openTelemetry);   // your SDK, or GlobalOpenTelemetry.get()

            CrmHttpClient crmHttp = crmTransport
                    .okHttpClient(new OkHttpClient.Builder().addInterceptor(TraceparentInterceptor.w3c()).build())
                    .build();

            Handoff handoff = Handoff.builder()
                    .listener(tracing)                 // spans from the handoff's events
                    .propagator(tracing)               // traceparent on SIP transfers and CRM calls
                    .crmAdapter(WebhookAdapter.builder(crmHttp).endpoint(crmUrl).lookupUrl(lookupUrl)
                            .secret(webhookSecret).build())
                    .build();
            // end::wiring[]

            try (handoff) {
                AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
                support.signIn("alice");
                support.next("alice", Duration.ofSeconds(20)).thenAccept(o -> o.ifPresent(Offer::accept));
                Map<String, String> inboundHeaders = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
                HandoffSession session = handoff.open(SessionId.of("chat-readme"), Channel.CHAT, CustomerData.UNKNOWN);

                // tag::parent[]
                // the bot's own request arrived with a traceparent: the handoff joins that trace
                Context inbound = W3CTraceContextPropagator.getInstance().extract(Context.root(), inboundHeaders, HEADERS);
                tracing.parent(session.id(), inbound);
                // end::parent[]

                HandoffOutcome outcome = session.handOff(session.customer("let me talk to a person")).toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);

                assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(telemetry.handoffSpan().getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                assertThat(server.takeRequest(20, TimeUnit.SECONDS).getHeader("traceparent"))
                        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
                assertThat(server.takeRequest(20, TimeUnit.SECONDS).getHeader("traceparent"))
                        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-");
            }
        }
    }

    /** Reads a header map (the bot host's own request headers). */
    static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return List.copyOf(carrier.keySet());
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
}
