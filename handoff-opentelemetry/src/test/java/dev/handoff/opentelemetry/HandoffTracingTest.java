package dev.handoff.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.routing.DefaultRouter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real handoffs through the in-process chat queue, traced into the OpenTelemetry SDK's in-memory exporter. */
class HandoffTracingTest {

    private final Telemetry telemetry = new Telemetry();
    private final HandoffTracing tracing = HandoffTracing.create(telemetry.sdk);
    private Handoff handoff;

    @AfterEach
    void tearDown() {
        if (handoff != null) {
            handoff.close();
        }
        telemetry.close();
    }

    private Handoff.Builder traced() {
        return Handoff.builder().listener(tracing).propagator(tracing);
    }

    /** Alice signs in to the support queue and accepts the next offer. */
    private CompletableFuture<Optional<Offer>> aliceAccepts() {
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        return support.next("alice", Duration.ofSeconds(20)).thenApply(offer -> {
            offer.ifPresent(Offer::accept);
            return offer;
        });
    }

    @Test
    void connected_chat_handoff_is_one_span_with_a_child_per_phase_in_order() throws Exception {
        handoff = traced().build();
        CompletableFuture<Optional<Offer>> alice = aliceAccepts();
        HandoffSession chat = handoff.open(SessionId.of("chat-7"), Channel.CHAT, CustomerData.UNKNOWN);

        HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(alice.get(5, TimeUnit.SECONDS)).isPresent();
        SpanData root = telemetry.handoffSpan();
        assertThat(Telemetry.isRoot(root)).isTrue();
        assertThat(root.getAttributes().get(HandoffTracing.SESSION_ID)).isEqualTo("chat-7");
        assertThat(root.getAttributes().get(HandoffTracing.HANDOFF_ID)).startsWith("h-");
        assertThat(root.getAttributes().get(HandoffTracing.OUTCOME)).isEqualTo("CONNECTED");
        assertThat(root.getAttributes().get(HandoffTracing.CAUSE)).isEqualTo("CONNECTED");
        assertThat(root.getAttributes().get(HandoffTracing.TRIGGERS)).containsExactly("EXPLICIT_REQUEST");
        assertThat(root.getAttributes().get(HandoffTracing.CONTEXT_ID)).isEqualTo(outcome.contextId());
        assertThat(root.getAttributes().get(HandoffTracing.TARGET_KIND)).isEqualTo("QUEUE");
        assertThat(root.getAttributes().get(HandoffTracing.TARGET_ID)).isEqualTo("support");
        assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        List<SpanData> phases = telemetry.phases(root);
        assertThat(phases).extracting(s -> s.getAttributes().get(HandoffTracing.PHASE)).containsExactly(
                "REQUESTED", "PACKAGED", "ROUTED", "VALIDATED", "AGENT_NOTIFIED", "TRANSFERRING", "CONNECTED", "VERIFIED");
        assertThat(phases).extracting(SpanData::getName).startsWith("handoff.requested", "handoff.packaged", "handoff.routed");
        assertThat(phases).extracting(s -> s.getAttributes().get(HandoffTracing.PHASE_SEQUENCE))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(phases).allSatisfy(s -> {
            assertThat(s.getTraceId()).isEqualTo(root.getTraceId());
            assertThat(s.hasEnded()).isTrue();
            assertThat(s.getAttributes().get(HandoffTracing.HANDOFF_ID)).isEqualTo(root.getAttributes().get(HandoffTracing.HANDOFF_ID));
        });
        for (int i = 1; i < 7; i++) {   // each phase up to the outcome ends as the next one starts
            assertThat(phases.get(i - 1).getEndEpochNanos()).isEqualTo(phases.get(i).getStartEpochNanos());
        }
        assertThat(phases.get(6).getEndEpochNanos()).isEqualTo(root.getEndEpochNanos());   // CONNECTED is the outcome
        assertThat(phases.get(7).getStartEpochNanos()).isGreaterThanOrEqualTo(root.getEndEpochNanos())
                .isEqualTo(phases.get(7).getEndEpochNanos());   // VERIFIED, after the outcome: a mark
        assertThat(phases.subList(3, 7)).allSatisfy(s -> {
            assertThat(s.getAttributes().get(HandoffTracing.TARGET_KIND)).isEqualTo("QUEUE");
            assertThat(s.getAttributes().get(HandoffTracing.TARGET_ID)).isEqualTo("support");
        });
        assertThat(phases.get(1).getEvents()).extracting(EventData::getName).contains("handoff.context.packaged");
        assertThat(phases.get(5).getEvents()).extracting(EventData::getName).contains("handoff.transfer.progress");
    }

    @Test
    void handoff_nobody_can_take_ends_in_error_with_the_cause_code() throws Exception {
        handoff = traced().router(new DefaultRouter(Target.queue("closed"), null, List.of(Target.queue("unstaffed"))))
                .transferTimeout(Duration.ofMillis(200)).build();
        handoff.chatQueues().orElseThrow().queue("closed").close();
        HandoffSession chat = handoff.open(SessionId.of("chat-8"), Channel.CHAT, CustomerData.UNKNOWN);

        HandoffOutcome outcome = chat.handOff(chat.customer("operator!")).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(outcome.cause()).isEqualTo(HandoffOutcome.Cause.NO_TARGET_AVAILABLE);
        SpanData root = telemetry.handoffSpan();
        assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(root.getStatus().getDescription()).isEqualTo("NO_TARGET_AVAILABLE");
        assertThat(root.getAttributes().get(HandoffTracing.OUTCOME)).isEqualTo("RETURNED_TO_BOT");
        assertThat(root.getAttributes().get(HandoffTracing.CAUSE)).isEqualTo("NO_TARGET_AVAILABLE");
        List<SpanData> phases = telemetry.phases(root);
        assertThat(phases).extracting(s -> s.getAttributes().get(HandoffTracing.PHASE))
                .containsExactly("REQUESTED", "PACKAGED", "ROUTED", "RETURNED_TO_BOT");
        SpanData last = phases.get(3);
        assertThat(last.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(last.getAttributes().get(HandoffTracing.CAUSE)).isEqualTo("NO_TARGET_AVAILABLE");
        assertThat(phases.get(2).getEvents()).filteredOn(e -> e.getName().equals("handoff.transfer.failed"))
                .extracting(e -> e.getAttributes().get(HandoffTracing.TARGET_ID) + ":" + e.getAttributes().get(HandoffTracing.TRANSFER_OUTCOME))
                .containsExactly("closed:PREFLIGHT_FAILED", "unstaffed:PREFLIGHT_FAILED");
    }

    @Test
    void no_transcript_text_customer_data_ticket_or_note_reaches_a_span() throws Exception {
        String secret = "Quetzalcoatl";
        handoff = traced().build();
        CompletableFuture<Optional<Offer>> alice = aliceAccepts();
        HandoffSession chat = handoff.open(SessionId.of("chat-9"), Channel.CHAT,
                new CustomerData("cus-9", Map.of("billing", "AC-" + secret), Map.of("name", "Ada " + secret), List.of()));
        chat.customer("My " + secret + " invoice is wrong");
        chat.ai("Which " + secret + " invoice is it?");

        HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person about " + secret)).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        Offer offer = alice.get(5, TimeUnit.SECONDS).orElseThrow();
        AgentActions actions = handoff.agentActions(outcome.contextId()).orElseThrow();
        actions.handBack("alice", "the " + secret + " account needs the bot");

        List<String> text = new ArrayList<>();
        for (SpanData span : telemetry.spans()) {
            text.add(span.getName());
            text.add(span.getStatus().getDescription());
            span.getAttributes().forEach((k, v) -> text.add(k.getKey() + "=" + v));
            for (EventData event : span.getEvents()) {
                text.add(event.getName());
                event.getAttributes().forEach((k, v) -> text.add(k.getKey() + "=" + v));
            }
        }
        assertThat(text).isNotEmpty().noneMatch(t -> t.contains(secret)).noneMatch(t -> t.contains(offer.ticket()))
                .noneMatch(t -> t.contains("alice"));
        SpanData handedBack = telemetry.spans().get(telemetry.spans().size() - 1);
        assertThat(handedBack.getAttributes().get(HandoffTracing.PHASE)).isEqualTo(HandoffPhase.RETURNED_TO_BOT.name());
        assertThat(handedBack.getAttributes().get(HandoffTracing.CAUSE)).isEqualTo("HANDED_BACK");
        assertThat(handedBack.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(handedBack.getParentSpanId()).isEqualTo(telemetry.handoffSpan().getSpanId());
    }

    @Test
    void handoff_span_is_a_child_of_the_context_the_bot_host_passes() throws Exception {
        SpanContext inbound = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        handoff = traced().build();
        CompletableFuture<Optional<Offer>> alice = aliceAccepts();
        HandoffSession chat = handoff.open(SessionId.of("chat-10"), Channel.CHAT, CustomerData.UNKNOWN);
        tracing.parent(chat.id(), Context.root().with(Span.wrap(inbound)));

        chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(alice.get(5, TimeUnit.SECONDS)).isPresent();
        SpanData root = telemetry.handoffSpan();
        assertThat(root.getTraceId()).isEqualTo(inbound.getTraceId());
        assertThat(root.getParentSpanId()).isEqualTo(inbound.getSpanId());
    }

    @Test
    void chat_offer_carries_the_traceparent_of_the_handoff() throws Exception {
        handoff = traced().build();
        CompletableFuture<Optional<Offer>> alice = aliceAccepts();
        HandoffSession chat = handoff.open(SessionId.of("chat-11"), Channel.CHAT, CustomerData.UNKNOWN);

        chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);

        Offer offer = alice.get(5, TimeUnit.SECONDS).orElseThrow();
        SpanData root = telemetry.handoffSpan();
        String traceparent = offer.request().headers().get("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        assertThat(traceparent.split("-")[1]).isEqualTo(root.getTraceId());
        assertThat(telemetry.phases(root)).extracting(SpanData::getSpanId).contains(traceparent.split("-")[2]);
        assertThat(offer.request().headers()).containsEntry("X-Handoff-Priority", "NORMAL");
    }

    @Test
    void a_session_without_a_traced_handoff_propagates_nothing() {
        assertThat(tracing.fields(SessionId.of("nobody"))).isEmpty();
        assertThat(tracing.open(SessionId.of("nobody"))).isSameAs(dev.handoff.api.spi.HandoffPropagator.Scope.NOOP);
    }

    @Test
    void cause_is_read_from_the_code_core_puts_first_and_never_from_free_text() {
        assertThat(HandoffTracing.cause("WAIT_LIMIT: waited in line for PT2M without a free slot")).isEqualTo("WAIT_LIMIT");
        assertThat(HandoffTracing.cause("handed back by alice: Ada's card: 4111")).isEqualTo("HANDED_BACK");
        assertThat(HandoffTracing.cause("Something else: with text")).isEqualTo("UNKNOWN");
        assertThat(HandoffTracing.cause("")).isEqualTo("UNKNOWN");
    }
}
