package dev.handoff.core;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommitmentDeadlineEndToEndTest {

    @Test
    void the_agent_who_leaves_a_promise_unverified_for_a_minute_raises_an_overdue_event() throws Exception {
        ManualTime time = new ManualTime(Instant.parse("2026-03-03T09:00:00Z"));
        List<HandoffEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> overdue = new CompletableFuture<>();
        ExecutorService agents = Executors.newSingleThreadExecutor();
        try (Handoff handoff = Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).build())
                .listener(e -> {
                    events.add(e);
                    if (e instanceof HandoffEvent.CommitmentOverdue) {
                        overdue.complete(null);
                    }
                }).build()) {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            agents.submit(() -> {
                support.take("alice", Duration.ofSeconds(10)).ifPresent(Offer::accept);
                return null;
            });
            HandoffSession session = handoff.open(SessionId.of("chat-late"), Channel.CHAT, CustomerData.UNKNOWN);
            session.customer("My order is two weeks late.");
            session.ai("I'm sorry. I've added a $10 credit to your account and waived the shipping fee.");

            HandoffOutcome outcome = session.handOff(session.customer("I want to talk to a person")).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(handoff.redeem(outcome.ticket(), "agent-1").commitments()).extracting(c -> c.id() + " " + c.kind() + " " + c.value())
                    .containsExactly("c-1 CREDIT $10", "c-2 FEE_WAIVER shipping fee");

            handoff.agentActions(outcome.contextId()).orElseThrow().confirm("c-1", "alice");
            time.advance(Duration.ofSeconds(60));
            overdue.get(10, TimeUnit.SECONDS);   // the deadline fires on a worker: wait for its event, not for time
        } finally {
            agents.shutdownNow();
        }

        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.CommitmentUpdated).singleElement()
                .satisfies(e -> assertThat(((HandoffEvent.CommitmentUpdated) e).commitment().verifiedBy()).isEqualTo("alice"));
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.CommitmentOverdue).singleElement()
                .satisfies(e -> assertThat(((HandoffEvent.CommitmentOverdue) e).pending()).extracting(Commitment::id).containsExactly("c-2"));
    }
}
