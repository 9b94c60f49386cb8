package dev.handoff.core;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A {@link VerificationDeadlines} set on the builder keeps the due times; the rule and the event stay in the runtime. */
class VerificationDeadlinesSeamTest {

    private static final Instant T0 = Instant.parse("2026-03-03T09:00:00Z");
    private static final SessionId S = SessionId.of("chat-seam");

    /** Keeps due times in a map, as a shared store would keep rows; optionally refuses to schedule. */
    static final class Kept implements VerificationDeadlines {
        final Map<SessionId, Instant> due = new ConcurrentHashMap<>();
        final boolean refuse;
        volatile Host host;

        Kept(boolean refuse) {
            this.refuse = refuse;
        }

        @Override
        public void attach(Host h) {
            host = h;
        }

        @Override
        public void schedule(SessionId session, Instant at) {
            if (refuse) {
                throw new RetriableHandoffException("deadline store unavailable (test)");
            }
            due.put(session, at);
        }

        @Override
        public boolean cancel(SessionId session) {
            return due.remove(session) != null;
        }

        @Override
        public Optional<Instant> deadline(SessionId session) {
            return Optional.ofNullable(due.get(session));
        }
    }

    /** The bot promises two things; alice takes the chat; returns the connected outcome. */
    private static HandoffOutcome connected(Handoff handoff, ExecutorService agents) throws Exception {
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        agents.submit(() -> {
            support.take("alice", Duration.ofSeconds(10)).ifPresent(Offer::accept);
            return null;
        });
        HandoffSession session = handoff.open(S, Channel.CHAT, CustomerData.UNKNOWN);
        session.customer("My order is two weeks late.");
        session.ai("I'm sorry. I've added a $10 credit to your account and waived the shipping fee.");
        return session.handOff(session.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void the_store_keeps_the_due_time_and_the_runtime_publishes_the_overdue_event_when_told() throws Exception {
        ManualTime time = new ManualTime(T0);
        Kept store = new Kept(false);
        List<HandoffEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<HandoffEvent.CommitmentOverdue> overdue = new CompletableFuture<>();
        ExecutorService agents = Executors.newSingleThreadExecutor();
        try (Handoff handoff = Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).build())
                .verificationDeadlines(store).listener(e -> {
                    events.add(e);
                    if (e instanceof HandoffEvent.CommitmentOverdue o) {
                        overdue.complete(o);
                    }
                }).build()) {
            HandoffOutcome outcome = connected(handoff, agents);
            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(store.due).containsExactly(Map.entry(S, T0.plus(HandoffSettings.DEFAULT_COMMITMENT_DEADLINE)));

            assertThat(store.host.overdue(S, store.due.get(S))).isTrue();
            HandoffEvent.CommitmentOverdue event = overdue.get(10, TimeUnit.SECONDS);
            handoff.agentActions(outcome.contextId()).orElseThrow().confirm("c-1", "alice");
            handoff.agentActions(outcome.contextId()).orElseThrow().revoke("c-2", "alice");

            assertThat(event.pending()).extracting(Commitment::id).containsExactly("c-1", "c-2");
            assertThat(event.deadline()).isEqualTo(T0.plus(HandoffSettings.DEFAULT_COMMITMENT_DEADLINE));
            assertThat(store.due).as("nothing pending: the runtime cancelled it").isEmpty();
            assertThat(store.host.overdue(S, T0.plus(HandoffSettings.DEFAULT_COMMITMENT_DEADLINE))).as("all verified").isFalse();
        } finally {
            agents.shutdownNow();
        }
        assertThat(events).filteredOn(e -> e instanceof HandoffEvent.CommitmentOverdue).hasSize(1);
    }

    @Test
    void a_store_that_refuses_the_deadline_leaves_the_handoff_connected() throws Exception {
        ManualTime time = new ManualTime(T0);
        ExecutorService agents = Executors.newSingleThreadExecutor();
        try (Handoff handoff = Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).build())
                .verificationDeadlines(new Kept(true)).build()) {
            HandoffOutcome outcome = connected(handoff, agents);

            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(handoff.phase(S)).contains(dev.handoff.api.HandoffPhase.CONNECTED);
        } finally {
            agents.shutdownNow();
        }
    }
}
