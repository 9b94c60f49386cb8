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
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CRM's HTTP calls (the real transport and webhook adapter against a local server) carry the handoff's trace. */
class CrmTraceparentTest {

    private static final String SECRET = "a-webhook-secret-of-32-bytes-ok!";

    private final Telemetry telemetry = new Telemetry();
    private final HandoffTracing tracing = HandoffTracing.create(telemetry.sdk);
    private final MockWebServer crm = new MockWebServer();
    private Handoff handoff;

    @BeforeEach
    void start() throws Exception {
        crm.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (handoff != null) {
            handoff.close();
        }
        crm.shutdown();
        telemetry.close();
    }

    private WebhookAdapter webhook() {
        CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true)
                .okHttpClient(new OkHttpClient.Builder().addInterceptor(TraceparentInterceptor.w3c()).build())
                .build();
        return WebhookAdapter.builder(http).endpoint(crm.url("/hooks/handoff").toString())
                .lookupUrl(crm.url("/hooks/lookup").toString()).secret(SECRET).build();
    }

    private RecordedRequest next() throws InterruptedException {
        RecordedRequest request = crm.takeRequest(20, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the CRM").isNotNull();
        return request;
    }

    @Test
    void lookup_and_push_carry_the_traceparent_of_the_handoff() throws Exception {
        crm.enqueue(new MockResponse().setResponseCode(204));   // lookup: not found
        crm.enqueue(new MockResponse().setResponseCode(202));   // push
        handoff = Handoff.builder().listener(tracing).propagator(tracing).crmAdapter(webhook()).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        support.next("alice", Duration.ofSeconds(20)).thenAccept(offer -> offer.ifPresent(Offer::accept));
        HandoffSession chat = handoff.open(SessionId.of("chat-crm"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));

        HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        RecordedRequest lookup = next();
        RecordedRequest push = next();

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(lookup.getPath()).isEqualTo("/hooks/lookup");
        assertThat(push.getPath()).isEqualTo("/hooks/handoff");
        SpanData root = telemetry.handoffSpan();
        List<SpanData> phases = telemetry.phases(root);
        String[] lookupParent = lookup.getHeader("traceparent").split("-");
        String[] pushParent = push.getHeader("traceparent").split("-");
        assertThat(lookupParent[1]).isEqualTo(root.getTraceId());
        assertThat(pushParent[1]).isEqualTo(root.getTraceId());
        // the lookup runs while the context is being packaged: its parent is the REQUESTED phase
        assertThat(lookupParent[2]).isEqualTo(phases.get(0).getSpanId());
        assertThat(phases.get(0).getAttributes().get(HandoffTracing.PHASE)).isEqualTo("REQUESTED");
        // the push leaves after PACKAGED, on its own thread: the phase current then, or the handoff once it ended
        List<String> pushParents = new java.util.ArrayList<>(List.of(root.getSpanId()));
        phases.forEach(p -> pushParents.add(p.getSpanId()));
        assertThat(pushParent[2]).isIn(pushParents);
        assertThat(push.getHeader(CrmHttpClient.IDEMPOTENCY_KEY)).isEqualTo("handoff-" + outcome.contextId());
    }

    @Test
    void a_crm_call_outside_any_handoff_carries_no_traceparent() throws Exception {
        crm.enqueue(new MockResponse().setResponseCode(204));

        webhook().lookup(CustomerData.of("cus-2", Map.of()));

        RecordedRequest lookup = next();
        assertThat(lookup.getPath()).isEqualTo("/hooks/lookup");
        assertThat(lookup.getHeader("traceparent")).isNull();
    }
}
