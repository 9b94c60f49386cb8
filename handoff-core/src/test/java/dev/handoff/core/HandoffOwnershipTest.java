package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ownership seam as the runtime uses it: what it reports, and the two entry points an implementation calls. */
class HandoffOwnershipTest {

    /** Records every call in order, as "started h-..", "moved PACKAGED", "finished CONNECTED". */
    static final class Recording implements HandoffOwnership {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CompletableFuture<Host> host = new CompletableFuture<>();

        @Override
        public void started(Started handoff) {
            calls.add("started " + handoff.sessionId().value());
        }

        @Override
        public void moved(String handoffId, HandoffPhase phase, String contextId) {
            calls.add("moved " + phase);
        }

        @Override
        public void finished(String handoffId, HandoffOutcome outcome) {
            calls.add("finished " + outcome.cause());
        }

        @Override
        public void attach(Host h) {
            host.complete(h);
        }

        @Override
        public void close() {
            calls.add("closed");
        }
    }

    private final Recording ownership = new Recording();
    private final List<HandoffEvent> events = new CopyOnWriteArrayList<>();
    private Handoff handoff;

    @AfterEach
    void tearDown() {
        if (handoff != null) {
            handoff.close();
        }
    }

    private static HandoffDecision decision() {
        return HandoffDecision.handoff(Priority.NORMAL, List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "explicit.request", "asked")),
                "support");
    }

    @Test
    void the_runtime_reports_start_every_phase_and_the_outcome_in_order() throws Exception {
        handoff = Handoff.builder().ownership(ownership).build();
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        support.next("alice", Duration.ofSeconds(20)).thenAccept(o -> o.ifPresent(Offer::accept));
        HandoffSession session = handoff.open(SessionId.of("own-1"), Channel.CHAT, CustomerData.UNKNOWN);

        HandoffOutcome outcome = session.handOff(decision()).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(ownership.calls).containsExactly("started own-1", "moved PACKAGED", "moved ROUTED", "moved VALIDATED",
                "moved AGENT_NOTIFIED", "moved TRANSFERRING", "moved CONNECTED", "moved VERIFIED", "finished CONNECTED");
        handoff.close();
        assertThat(ownership.calls).endsWith("closed");
    }

    @Test
    void a_lost_handoff_stops_here_and_returns_to_the_bot_with_owner_lost_without_recording_an_outcome() throws Exception {
        handoff = Handoff.builder().ownership(ownership).listener(this::listen).transferTimeout(Duration.ofSeconds(30)).build();
        handoff.chatQueues().orElseThrow().queue("support").signIn("alice");   // nobody takes the offer
        HandoffSession session = handoff.open(SessionId.of("own-2"), Channel.CHAT, CustomerData.UNKNOWN);
        CompletableFuture<HandoffOutcome> outcome = session.handOff(decision()).toCompletableFuture();
        String handoffId = awaitPhase(HandoffPhase.TRANSFERRING);

        ownership.host.get(5, TimeUnit.SECONDS).lost(handoffId);
        HandoffOutcome result = outcome.get(20, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(result.cause()).isEqualTo(HandoffOutcome.Cause.OWNER_LOST);
        assertThat(result.summaryForBot()).isNotBlank();
        assertThat(ownership.calls).contains("moved RETURNED_TO_BOT").noneMatch(c -> c.startsWith("finished"));
        assertThat(handoff.chatQueues().orElseThrow().queue("support").size()).as("the offer was withdrawn").isZero();
    }

    @Test
    void an_adopted_handoff_without_an_open_attempt_returns_the_customer_to_the_bot_at_once() throws Exception {
        handoff = Handoff.builder().ownership(ownership).listener(events::add).build();
        Instant now = handoff.clock().instant();
        HandoffOwnership.Adoption adoption = new HandoffOwnership.Adoption("h-dead-1", SessionId.of("own-3"), Channel.CHAT,
                HandoffPhase.TRANSFERRING, decision(), null, null, now, now.plusSeconds(60), null, "owner i-a lost its lease");

        HandoffOutcome result = ownership.host.get(5, TimeUnit.SECONDS).adopt(adoption).get(20, TimeUnit.SECONDS);

        assertThat(result.cause()).isEqualTo(HandoffOutcome.Cause.OWNER_LOST);
        assertThat(ownership.calls).containsExactly("moved RETURNED_TO_BOT", "finished OWNER_LOST");
        assertThat(events).filteredOn(HandoffEvent.ReturnedToBot.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((HandoffEvent.ReturnedToBot) e).reason()).contains("OWNER_LOST", "owner i-a lost its lease"));
        assertThat(handoff.session(SessionId.of("own-3"))).get().extracting(HandoffSession::owner).isEqualTo(HandoffSession.Owner.BOT);
    }

    @Test
    void an_adopted_handoff_whose_open_attempt_connects_ends_connected_here() throws Exception {
        handoff = Handoff.builder().ownership(ownership).build();
        Instant now = handoff.clock().instant();
        CompletableFuture<TransferResult> attempt = new CompletableFuture<>();
        HandoffOwnership.Adoption adoption = new HandoffOwnership.Adoption("h-dead-2", SessionId.of("own-4"), Channel.CHAT,
                HandoffPhase.TRANSFERRING, decision(), null, null, now, now.plusSeconds(60), attempt, "owner i-a lost its lease");

        CompletableFuture<HandoffOutcome> outcome = ownership.host.get(5, TimeUnit.SECONDS).adopt(adoption);
        assertThat(outcome).isNotDone();
        attempt.complete(TransferResult.connected(Target.queue("support"), TransferMode.QUEUE, "bob", 200, now));
        HandoffOutcome result = outcome.get(20, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(result.connected()).map(TransferResult::agentId).isEqualTo(Optional.of("bob"));
        assertThat(ownership.calls).containsSubsequence("moved CONNECTED", "finished CONNECTED");
    }

    @Test
    void an_adopted_session_carries_the_packaged_transcript_so_later_turns_continue_its_numbering() throws Exception {
        var shared = new dev.handoff.core.store.InMemoryContextStore();   // what both instances read, as a database would
        CompletableFuture<String> packaged = new CompletableFuture<>();
        try (Handoff dead = Handoff.builder().contextStore(shared).transferTimeout(Duration.ofSeconds(30)).listener(e -> {
            if (e instanceof HandoffEvent.ContextPackaged c) {
                packaged.complete(c.contextId());
            }
        }).build()) {
            HandoffSession chat = dead.open(SessionId.of("own-5"), Channel.CHAT, CustomerData.of("cus-5", java.util.Map.of()));
            chat.customer("My invoice is wrong");
            chat.ai("I can look into the invoice for you.");
            chat.handOff(decision());
            String contextId = packaged.get(20, TimeUnit.SECONDS);

            handoff = Handoff.builder().contextStore(shared).ownership(ownership).listener(events::add).build();
            Instant now = handoff.clock().instant();
            ownership.host.get(5, TimeUnit.SECONDS).adopt(new HandoffOwnership.Adoption("h-dead-5", SessionId.of("own-5"), Channel.CHAT,
                    HandoffPhase.TRANSFERRING, decision(), contextId, null, now, now.plusSeconds(60), new CompletableFuture<>(),
                    "owner i-a lost its lease"));
        }
        HandoffSession adopted = handoff.session(SessionId.of("own-5")).orElseThrow();

        adopted.customer("Is anyone there?");

        assertThat(adopted.turns()).extracting(t -> t.index() + " " + t.speaker() + ": " + t.text())
                .containsExactly("0 CUSTOMER: My invoice is wrong", "1 AI: I can look into the invoice for you.", "2 CUSTOMER: Is anyone there?");
        assertThat(events).filteredOn(HandoffEvent.TurnRecorded.class::isInstance).as("only the new turn is published here")
                .extracting(e -> ((HandoffEvent.TurnRecorded) e).turn().index()).containsExactly(2);
    }

    private final CompletableFuture<String> transferring = new CompletableFuture<>();

    private void listen(HandoffEvent e) {
        events.add(e);
        if (e instanceof HandoffEvent.PhaseChanged p && p.phase() == HandoffPhase.TRANSFERRING) {
            transferring.complete(p.handoffId());
        }
    }

    private String awaitPhase(HandoffPhase phase) throws Exception {
        assertThat(phase).isEqualTo(HandoffPhase.TRANSFERRING);
        return transferring.get(20, TimeUnit.SECONDS);
    }
}
