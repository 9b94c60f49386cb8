package dev.handoff.core;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.routing.DefaultRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrchestrationTest extends HandoffFixture {

    private static final Instant T0 = Instant.parse("2026-03-03T09:00:00Z");

    private final List<HandoffEvent> events = new CopyOnWriteArrayList<>();
    private final InMemoryAuditSink audit = new InMemoryAuditSink();

    /** A voice connector that answers after the orchestrator lets it (the SIP one lives in handoff-sip). */
    static final class RecordingVoiceExecutor implements TransferExecutor {
        final List<Instant> startedAt = new CopyOnWriteArrayList<>();

        @Override
        public Set<TransferMode> modes() {
            return Set.of(TransferMode.COLD, TransferMode.WARM);
        }

        @Override
        public CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener) {
            startedAt.add(Instant.now());
            listener.progress(202, "Accepted");
            return CompletableFuture.completedFuture(TransferResult.connected(request.target(), request.mode(), "desk-1", 200, Instant.now()));
        }
    }

    private static List<HandoffPhase> phases(List<HandoffEvent> events) {
        return events.stream().filter(e -> e instanceof HandoffEvent.PhaseChanged).map(e -> ((HandoffEvent.PhaseChanged) e).phase()).toList();
    }

    @Test
    void a_connected_chat_handoff_walks_the_phases_in_order_with_growing_sequence_numbers() throws Exception {
        handoff = Handoff.builder().listener(events::add).auditSink(audit).build();
        acceptsNextOffer("support", "alice");
        HandoffSession session = handoff.open(Channel.CHAT);

        session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(phases(events)).containsExactly(HandoffPhase.REQUESTED, HandoffPhase.PACKAGED, HandoffPhase.ROUTED,
                HandoffPhase.VALIDATED, HandoffPhase.AGENT_NOTIFIED, HandoffPhase.TRANSFERRING, HandoffPhase.CONNECTED,
                HandoffPhase.VERIFIED);
        assertThat(events.stream().filter(e -> e instanceof HandoffEvent.PhaseChanged).mapToLong(e -> ((HandoffEvent.PhaseChanged) e).sequence()))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(handoff.phase(session.id())).contains(HandoffPhase.VERIFIED);
    }

    @Test
    void the_bot_gets_bridge_content_until_the_human_is_connected() throws Exception {
        CountDownLatch stillWaitingSaid = new CountDownLatch(1);
        handoff = Handoff.builder().listener(events::add).listener(e -> {
            if (e instanceof HandoffEvent.BridgeMessage b && b.text().startsWith("Thanks for waiting")) {
                stillWaitingSaid.countDown();
            }
        }).bridgeInterval(Duration.ofMillis(100)).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("slow-sam");
        // the agent is slow: takes the offer only after the bot has had to say "still waiting"
        agents.submit(() -> {
            stillWaitingSaid.await();
            return support.take("slow-sam", Duration.ofSeconds(10)).map(Offer::accept);
        });
        HandoffSession session = handoff.open(SessionId.of("bridge-1"), Channel.CHAT, CustomerData.UNKNOWN);
        session.customer("My order 5521 arrived broken and I need a replacement before Friday");

        session.handOff(session.customer("I want a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        int connectedAt = indexOf(HandoffEvent.HandoffCompleted.class);
        List<String> bridge = events.stream().filter(e -> e instanceof HandoffEvent.BridgeMessage)
                .map(e -> ((HandoffEvent.BridgeMessage) e).text()).toList();

        // the whisper goal is written for the agent in the third person; said back to the customer, in the second
        assertThat(handoff.contexts().latest(SessionId.of("bridge-1")).orElseThrow().whisper().goal())
                .isEqualTo("Wants a replacement before Friday");
        assertThat(bridge.get(0)).isEqualTo("I'm bringing in a specialist now. I've shared what we've covered (you want a replacement "
                + "before Friday) so you won't need to repeat yourself. It won't take more than 2 minutes.");
        assertThat(bridge).anyMatch(line -> line.startsWith("Thanks for waiting. Your specialist already has our conversation in "
                + "front of them. If nobody can take it in the next "));
        assertThat(events.subList(connectedAt, events.size())).noneMatch(e -> e instanceof HandoffEvent.BridgeMessage);
    }

    @Test
    void a_silent_alarm_never_tells_the_customer_about_the_handoff() throws Exception {
        handoff = Handoff.builder().listener(events::add).transferTimeout(Duration.ofMillis(200)).build();
        HandoffSession session = handoff.open(Channel.CHAT);
        HandoffDecision alarm = HandoffDecision.silentAlarm(List.of(Reason.of(TriggerKind.KILL_SWITCH, "kill.lawsuit", "lawsuit")));

        session.handOff(alarm).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.BridgeMessage)
                .extracting(e -> ((HandoffEvent.BridgeMessage) e).text())
                .isNotEmpty()
                .noneMatch(t -> t.contains("specialist"));
    }

    @Test
    void reading_confirmation_ends_the_whisper_lead_before_a_voice_bridge() throws Exception {
        ManualTime time = new ManualTime(T0);
        RecordingVoiceExecutor voice = new RecordingVoiceExecutor();
        handoff = Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).build())
                .listener(events::add).transferExecutor(voice).whisperLead(Duration.ofSeconds(20))
                .router(new DefaultRouter(Target.sip("front-desk", "sip:desk@127.0.0.1:5070"), null, List.of())).build();
        handoff.addListener(e -> {
            if (e instanceof HandoffEvent.AgentNotified n) {
                agents.submit(() -> handoff.agentActions(n.contextId()).orElseThrow().confirmRead("desk-1"));
            }
        });
        HandoffSession call = handoff.open(SessionId.of("call-1"), Channel.VOICE, CustomerData.UNKNOWN);

        // the test clock never moves: only the agent's read confirmation can end the 20 s whisper lead
        HandoffOutcome outcome = call.handOff(call.customer("put me through to a representative")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(indexOf(HandoffEvent.ContextRead.class)).isLessThan(indexOf(HandoffEvent.TransferStarted.class));
        assertThat(time.instant()).isEqualTo(T0);
        assertThat(audit.records()).isEmpty(); // this Handoff logs audit to SLF4J; see the audit test for records
    }

    @Test
    void urgent_voice_handoffs_are_not_held_back_for_reading() throws Exception {
        ManualTime time = new ManualTime(T0);
        RecordingVoiceExecutor voice = new RecordingVoiceExecutor();
        handoff = Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).build())
                .listener(events::add).transferExecutor(voice).whisperLead(Duration.ofSeconds(30))
                .router(new DefaultRouter(Target.sip("front-desk", "sip:desk@127.0.0.1:5070"), null, List.of())).build();
        HandoffSession call = handoff.open(Channel.VOICE);
        HandoffDecision urgent = HandoffDecision.handoff(Priority.URGENT, List.of(Reason.of(TriggerKind.URGENCY, "urgency.pain", "pain")), null);

        CompletableFuture<HandoffOutcome> outcome = call.handOff(urgent).toCompletableFuture();
        time.awaitTask(HandoffSettings.DEFAULT_URGENT_WHISPER_LEAD, Duration.ofSeconds(10));
        assertThat(voice.startedAt).isEmpty();   // nobody read it: the lead runs
        time.advance(HandoffSettings.DEFAULT_URGENT_WHISPER_LEAD);

        assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(outcome.get().elapsed()).isEqualTo(HandoffSettings.DEFAULT_URGENT_WHISPER_LEAD);
        assertThat(voice.startedAt).hasSize(1);
    }

    @Test
    void verifying_the_last_commitment_moves_the_handoff_to_verified_and_is_audited_without_text() throws Exception {
        handoff = Handoff.builder().listener(events::add).auditSink(audit).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        agents.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(o -> {
            handoff.redeem(o.ticket(), "alice");
            return o.accept();
        }));
        HandoffSession session = handoff.open(SessionId.of("chat-77"), Channel.CHAT, CustomerData.UNKNOWN);
        session.customer("The annual plan is too expensive for my team");
        session.ai("I've applied a 15% discount to your first year.", NluSignals.confidence(0.8));
        HandoffDecision decision = session.customer("I still want to talk to a person about the contract");

        session.handOff(decision).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(handoff.phase(session.id())).contains(HandoffPhase.CONNECTED);
        Commitment c = handoff.commitments().commitments(session.id()).get(0);
        handoff.agentActions(handoff.contexts().latest(session.id()).orElseThrow().contextId()).orElseThrow()
                .correct(c.id(), "10%", "alice");

        assertThat(handoff.phase(session.id())).contains(HandoffPhase.VERIFIED);
        assertThat(handoff.commitments().commitments(session.id())).singleElement()
                .satisfies(v -> assertThat(v.correctedValue()).isEqualTo("10%"));
        assertThat(audit.records()).extracting(AuditRecord::action).containsSubsequence(
                AuditRecord.Action.HANDOFF_REQUESTED, AuditRecord.Action.CONTEXT_PACKAGED, AuditRecord.Action.TICKET_REDEEMED,
                AuditRecord.Action.TRANSFER_ATTEMPTED, AuditRecord.Action.HANDOFF_CONNECTED, AuditRecord.Action.COMMITMENT_CORRECTED);
        assertThat(audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.TICKET_REDEEMED)
                .singleElement().extracting(AuditRecord::actor).isEqualTo("alice");
        String everything = audit.records().toString().toLowerCase();
        for (String word : List.of("expensive", "discount", "contract", "person", "15%", "team")) {
            assertThat(everything).doesNotContain(word);
        }
    }

    @Test
    void the_human_can_hand_the_conversation_back_to_the_bot() throws Exception {
        handoff = Handoff.builder().listener(events::add).build();
        acceptsNextOffer("support", "alice");
        HandoffSession session = handoff.open(Channel.CHAT);
        HandoffOutcome outcome = session.handOff(session.customer("agent please, I want a human")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        handoff.agentActions(outcome.contextId()).orElseThrow().handBack("alice", "resolved, customer only needs a receipt");

        assertThat(session.owner()).isEqualTo(HandoffSession.Owner.BOT);
        assertThat(handoff.phase(session.id())).contains(HandoffPhase.RETURNED_TO_BOT);
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.ReturnedToBot).singleElement()
                .satisfies(e -> {
                    HandoffEvent.ReturnedToBot back = (HandoffEvent.ReturnedToBot) e;
                    assertThat(back.reason()).isEqualTo("handed back by alice: resolved, customer only needs a receipt");
                    // the customer hears the script's line, never the agent's internal note
                    assertThat(back.summaryForBot()).isEqualTo("Thanks for your patience. I'm back with you; what else can I help you with?");
                });
        assertThat(session.customer("thanks, can you email the receipt?").action()).isEqualTo(HandoffDecision.Action.CONTINUE);
    }

    @Test
    void a_slow_summarizer_is_interrupted_and_replaced_by_the_deterministic_one_at_its_timeout() throws Exception {
        ManualTime time = new ManualTime(T0);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        handoff = Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).build()).summarizer((c, d) -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();   // an observer that never answers
            } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("too late");
        }).summarizeTimeout(Duration.ofSeconds(3)).build();
        HandoffSession session = handoff.open(Channel.CHAT);
        session.customer("Where is my refund for order 88?");

        CompletableFuture<HandoffOutcome> outcome = session.handOff(session.customer("operator")).toCompletableFuture();
        time.awaitTask(Duration.ofSeconds(3), Duration.ofSeconds(10));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();   // the call is running (a queued one is just dropped)
        time.advance(Duration.ofSeconds(3));

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the timed-out summarizer call was interrupted").isTrue();
        HandoffOutcome o = outcome.get(10, TimeUnit.SECONDS);
        assertThat(handoff.contexts().get(o.contextId()).orElseThrow().whisper().goal()).isEqualTo("Asks: Where is their refund for order 88?");
    }

    @Test
    void an_ended_session_leaves_no_handoff_state_behind() throws Exception {
        handoff = Handoff.builder().transferTimeout(Duration.ofMillis(200)).build();
        HandoffSession session = handoff.open(Channel.CHAT);
        HandoffOutcome outcome = session.handOff(session.customer("I want a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(handoff.phase(session.id())).contains(HandoffPhase.RETURNED_TO_BOT);

        session.end("customer left");

        assertThat(handoff.phase(session.id())).isEmpty();
        assertThat(handoff.agentActions(outcome.contextId())).isEmpty();
        assertThat(handoff.retained()).as(handoff.retainedDetail()).isZero();
    }

    private int indexOf(Class<? extends HandoffEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
