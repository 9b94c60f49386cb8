package dev.handoff.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.HandoffPropagator;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.crm.outbox.FileOutbox;
import dev.handoff.crm.outbox.OutboxDispatcher;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.RetryPolicy;
import dev.handoff.crm.webhook.WebhookAdapter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push delivered by the durable outbox (handoff-crm-adapters' {@code OutboxDispatcher} on a {@code FileOutbox}, the
 * real webhook adapter over OkHttp with {@link TraceparentInterceptor}, MockWebServer as the CRM) carries the trace
 * of the handoff that queued it, on the first attempt and on the retry, though both run on the dispatcher's thread.
 */
class OutboxTraceparentTest {

    private static final String SECRET = "a-webhook-secret-of-32-bytes-ok!";
    private static final RetryPolicy FAST = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.75,
            Duration.ofMinutes(5));

    @TempDir
    Path tmp;

    private final Telemetry telemetry = new Telemetry();
    private final HandoffTracing tracing = HandoffTracing.create(telemetry.sdk);
    private final MockWebServer crm = new MockWebServer();
    private final AtomicInteger pushes = new AtomicInteger();
    private FileOutbox outbox;
    private OutboxDispatcher dispatcher;
    private Handoff handoff;

    @BeforeEach
    void start() throws Exception {
        crm.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!"/hooks/handoff".equals(request.getPath())) {
                    return new MockResponse().setResponseCode(204);   // a lookup: not found
                }
                // the CRM is unavailable for the first push, then takes the retry
                return new MockResponse().setResponseCode(pushes.getAndIncrement() == 0 ? 503 : 200);
            }
        });
        crm.start();
        CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true).retryPolicy(RetryPolicy.noRetries())
                .okHttpClient(new OkHttpClient.Builder().addInterceptor(TraceparentInterceptor.w3c()).build())
                .build();
        WebhookAdapter webhook = WebhookAdapter.builder(http).endpoint(crm.url("/hooks/handoff").toString()).secret(SECRET).build();
        outbox = FileOutbox.open(tmp.resolve("outbox"));
        dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook).propagator(tracing).retryPolicy(FAST)
                .pollInterval(Duration.ofMillis(50)).build();
        dispatcher.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (handoff != null) {
            handoff.close();
        }
        dispatcher.close();
        outbox.close();
        crm.shutdown();
        telemetry.close();
    }

    private RecordedRequest nextPush() throws InterruptedException {
        while (true) {
            RecordedRequest request = crm.takeRequest(20, TimeUnit.SECONDS);
            assertThat(request).as("a push reached the CRM").isNotNull();
            if ("/hooks/handoff".equals(request.getPath())) {
                return request;
            }
        }
    }

    @Test
    void a_push_the_outbox_retries_carries_the_traceparent_of_the_handoff_that_queued_it() throws Exception {
        handoff = Handoff.builder().listener(tracing).propagator(tracing).crmAdapter(dispatcher.asCrmAdapter()).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        support.next("alice", Duration.ofSeconds(20)).thenAccept(offer -> offer.ifPresent(Offer::accept));
        HandoffSession chat = handoff.open(SessionId.of("chat-outbox"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));

        HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        RecordedRequest first = nextPush();
        RecordedRequest retry = nextPush();

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        SpanData root = telemetry.handoffSpan();
        assertThat(first.getHeader("traceparent")).as("the first attempt, on the dispatcher's thread").isNotNull();
        assertThat(retry.getHeader("traceparent")).as("the retry carries the same context").isEqualTo(first.getHeader("traceparent"));
        String[] parent = retry.getHeader("traceparent").split("-");
        assertThat(parent[1]).as("the handoff's trace id").isEqualTo(root.getTraceId());
        // the handoff's span or one of its phases, whichever was current when the push was queued (varies with timing)
        List<String> queuers = new ArrayList<>(List.of(root.getSpanId()));
        telemetry.phases(root).forEach(phase -> queuers.add(phase.getSpanId()));
        assertThat(parent[2]).as("the span that queued the push").isIn(queuers);
        assertThat(retry.getHeader(CrmHttpClient.IDEMPOTENCY_KEY)).isEqualTo(first.getHeader(CrmHttpClient.IDEMPOTENCY_KEY));
        assertThat(Span.current().getSpanContext().isValid()).as("nothing leaks onto the test's thread").isFalse();
    }

    @Test
    void a_push_queued_by_an_untraced_handoff_carries_no_traceparent() throws Exception {
        handoff = Handoff.builder().crmAdapter(dispatcher.asCrmAdapter()).build();   // the tracing knows nothing of it
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        support.next("alice", Duration.ofSeconds(20)).thenAccept(offer -> offer.ifPresent(Offer::accept));
        HandoffSession chat = handoff.open(SessionId.of("chat-untraced"), Channel.CHAT, CustomerData.of("cus-2", Map.of()));

        chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        RecordedRequest first = nextPush();
        RecordedRequest retry = nextPush();

        assertThat(first.getHeader("traceparent")).isNull();
        assertThat(retry.getHeader("traceparent")).isNull();
    }

    @Test
    void stored_fields_without_a_valid_span_context_make_nothing_current() {
        try (HandoffPropagator.Scope scope = tracing.resume(Map.of("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"))) {
            assertThat(scope).isSameAs(HandoffPropagator.Scope.NOOP);
            assertThat(Span.fromContext(Context.current()).getSpanContext().isValid()).isFalse();
        }
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        try (HandoffPropagator.Scope scope = tracing.resume(Map.of("traceparent", traceparent))) {
            assertThat(Span.current().getSpanContext().getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(Span.current().getSpanContext().getSpanId()).isEqualTo("00f067aa0ba902b7");
        }
        assertThat(Span.current().getSpanContext().isValid()).as("closed: restored").isFalse();
    }
}
