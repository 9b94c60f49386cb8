package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Target;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.ChatQueues;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.routing.DefaultRouter;
import dev.handoff.core.testing.ManualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatHandoffEndToEndTest extends HandoffFixture {

    private final List<HandoffEvent> events = new CopyOnWriteArrayList<>();

    @Test
    void explicit_request_is_handed_to_an_agent_who_takes_it_from_the_queue() throws Exception {
        handoff = Handoff.builder().listener(events::add).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        Future<Optional<Offer>> alice = agents.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(o -> {
            o.accept();
            return o;
        }));
        HandoffSession session = handoff.open(SessionId.of("chat-1"), Channel.CHAT, CustomerData.of("cus-1", Map.of("billing", "AC-9")));

        assertThat(session.customer("My invoice shows a charge I don't recognise").isHandoff()).isFalse();
        assertThat(session.ai("I can help with billing. Which invoice number is it?", NluSignals.confidence(0.9)).isHandoff()).isFalse();
        session.customer("INV-2231");
        HandoffDecision decision = session.customer("This isn't working, let me talk to a person please");
        HandoffOutcome outcome = session.handOff(decision).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(decision.action()).isEqualTo(HandoffDecision.Action.HANDOFF);
        assertThat(decision.reasons()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(TriggerKind.EXPLICIT_REQUEST);
            assertThat(r.turnIndex()).isEqualTo(3);
            assertThat(r.evidence().text()).isEqualTo("talk to a person");
        });
        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(outcome.connected()).get().extracting(TransferResult::agentId).isEqualTo("alice");
        assertThat(session.owner()).isEqualTo(HandoffSession.Owner.HUMAN);
        Offer offer = alice.get(5, TimeUnit.SECONDS).orElseThrow();
        HandoffContext context = handoff.redeem(offer.ticket(), "alice");
        assertThat(context.contextId()).isEqualTo(outcome.contextId());
        assertThat(context.transcript()).extracting(t -> t.text()).containsExactly(
                "My invoice shows a charge I don't recognise", "I can help with billing. Which invoice number is it?", "INV-2231",
                "This isn't working, let me talk to a person please");
        assertThat(context.customer().accountIds()).containsEntry("billing", "AC-9");
        assertThat(context.metadata().triggerReasons()).extracting(r -> r.ruleId()).containsExactly("explicit.request");
        assertThat(context.whisper().goal()).isEqualTo("Their invoice shows a charge they don't recognise");
        assertThat(context.integrity()).isNotNull();
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsSubsequence(
                "HandoffRequested", "ContextPackaged", "RouteSelected", "PreflightChecked", "AgentNotified", "TransferStarted",
                "TransferProgress", "HandoffCompleted");
    }

    @Test
    void unanswered_offer_times_out_and_falls_back_to_the_next_queue() throws Exception {
        handoff = Handoff.builder()
                .router(new DefaultRouter(Target.queue("billing"), null, List.of(Target.queue("backup"))))
                .transferTimeout(Duration.ofMillis(300))
                .listener(events::add)
                .build();
        ChatQueues queues = handoff.chatQueues().orElseThrow();
        queues.queue("billing").signIn("nobody-takes-work");
        AgentQueue backup = queues.queue("backup");
        backup.signIn("bob");
        agents.submit(() -> {
            backup.take("bob", Duration.ofSeconds(10)).ifPresent(Offer::accept);
            return null;
        });
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffOutcome outcome = session.handOff(session.customer("I want a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(outcome.attempts()).extracting(a -> a.target().id() + ":" + a.outcome())
                .containsExactly("billing:TIMED_OUT", "backup:CONNECTED");
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.TransferFailed).singleElement()
                .satisfies(e -> assertThat(((HandoffEvent.TransferFailed) e).nextTarget()).isEqualTo(Target.queue("backup")));
    }

    @Test
    void when_every_target_fails_the_bot_resumes_and_the_customer_is_not_dropped() throws Exception {
        handoff = Handoff.builder()
                .router(new DefaultRouter(Target.queue("closed"), null, List.of(Target.queue("unstaffed"))))
                .transferTimeout(Duration.ofMillis(200))
                .listener(events::add)
                .build();
        handoff.chatQueues().orElseThrow().queue("closed").close();
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffOutcome outcome = session.handOff(session.customer("operator!")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(outcome.attempts()).extracting(TransferResult::outcome)
                .containsExactly(TransferResult.Outcome.PREFLIGHT_FAILED, TransferResult.Outcome.PREFLIGHT_FAILED);
        assertThat(outcome.summaryForBot()).startsWith("I couldn't connect you with a specialist just now");
        assertThat(session.owner()).isEqualTo(HandoffSession.Owner.BOT);
        assertThat(session.isEnded()).isFalse();
        assertThat(session.ai("I'll keep helping you myself.").action()).isEqualTo(HandoffDecision.Action.CONTINUE);
        assertThat(events).last().isInstanceOf(HandoffEvent.TurnRecorded.class);
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.ReturnedToBot).hasSize(1);
    }

    @Test
    void confidence_under_the_hard_floor_hands_off() {
        handoff = Handoff.builder().build();
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffDecision decision = session.ai("I'm not sure I understood that.", NluSignals.confidence(0.31));

        assertThat(decision.isHandoff()).isTrue();
        assertThat(decision.reasons()).singleElement().satisfies(r -> {
            assertThat(r.ruleId()).isEqualTo("confidence.floor");
            assertThat(r.observed()).isEqualTo(0.31);
            assertThat(r.threshold()).isEqualTo(0.40);
        });
    }

    @Test
    void idle_session_ends_and_refuses_new_turns() {
        ManualTime clock = new ManualTime(java.time.Instant.parse("2026-01-01T10:00:00Z"));
        handoff = Handoff.builder().clock(clock).idleTimeout(Duration.ofMinutes(5)).listener(events::add).build();
        HandoffSession session = handoff.open(SessionId.of("idle-1"), Channel.CHAT, CustomerData.UNKNOWN);
        session.customer("hello");

        clock.advance(Duration.ofMinutes(4));
        session.customer("still there");
        clock.advance(Duration.ofMinutes(5));

        assertThat(session.isEnded()).isTrue();
        assertThat(handoff.expireIdleSessions()).isEqualTo(1);
        assertThat(handoff.session(SessionId.of("idle-1"))).isEmpty();
        assertThatThrownBy(() -> session.customer("anyone?"))
                .isInstanceOf(SessionEndedException.class)
                .hasMessage("session idle-1 has ended (idle for PT5M); open a new session");
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.SessionEnded).hasSize(1);
    }

    @Test
    void explicitly_ended_session_refuses_turns_and_handoffs() {
        handoff = Handoff.builder().build();
        HandoffSession session = handoff.open(SessionId.of("end-1"), Channel.CHAT, CustomerData.UNKNOWN);
        session.end("customer closed the chat");

        assertThatThrownBy(() -> session.customer("wait"))
                .isInstanceOf(SessionEndedException.class)
                .hasMessage("session end-1 has ended (customer closed the chat); open a new session");
        assertThatThrownBy(() -> session.requestHuman("bot asked"))
                .isInstanceOf(NonRetriableHandoffException.class);
    }

    @Test
    void readers_see_consistent_snapshots_while_the_bot_writes() throws Exception {
        handoff = Handoff.builder().build();
        HandoffSession session = handoff.open(Channel.CHAT);
        Future<?> reader = agents.submit(() -> {
            for (int i = 0; i < 20_000; i++) {
                var turns = session.turns();
                for (int j = 0; j < turns.size(); j++) {
                    if (turns.get(j) == null || turns.get(j).index() != j) {
                        throw new AssertionError("inconsistent snapshot at " + j + " of " + turns.size());
                    }
                }
            }
            return null;
        });

        for (int i = 0; i < 2_000; i++) {
            session.record(i % 2 == 0 ? Speaker.CUSTOMER : Speaker.AI, "turn " + i, null);
        }

        reader.get(30, TimeUnit.SECONDS);
        assertThat(session.turns()).hasSize(2_000);
    }

    @Test
    void in_flight_partial_turn_is_part_of_the_context() throws Exception {
        handoff = Handoff.builder().transferTimeout(Duration.ofMillis(200)).build();
        HandoffSession session = handoff.open(Channel.CHAT);
        HandoffDecision decision = session.customer("get me a representative");
        session.inFlight(Speaker.CUSTOMER, "and also my order number is");

        HandoffOutcome outcome = session.handOff(decision).toCompletableFuture().get(10, TimeUnit.SECONDS);

        HandoffContext context = handoff.contexts().get(outcome.contextId()).orElseThrow();
        assertThat(context.inFlight()).isNotNull();
        assertThat(context.inFlight().text()).isEqualTo("and also my order number is");
        assertThat(context.inFlight().partial()).isTrue();
    }

    @Test
    void a_failing_listener_does_not_break_the_handoff() throws Exception {
        handoff = Handoff.builder().listener(e -> {
            throw new IllegalStateException("listener bug");
        }).listener(events::add).transferTimeout(Duration.ofMillis(200)).build();
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffOutcome outcome = session.handOff(session.customer("human please, I want a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.ReturnedToBot).hasSize(1);
    }
}
