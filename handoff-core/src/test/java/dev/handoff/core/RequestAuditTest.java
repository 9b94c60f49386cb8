package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.core.store.InMemoryContextStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HANDOFF_REQUESTED is written with the run's next record (CONTEXT_PACKAGED, or RETURNED_TO_BOT when it goes no
 * further), so the bot's thread does no audit write and a database store commits once for both; a handoff that waits
 * in line has its request recorded at once, and a packaging that fails still leaves the request in the trail.
 */
class RequestAuditTest extends HandoffFixture {

    /** Each write the sink received: its records and the thread that wrote them. */
    record Write(List<AuditRecord.Action> actions, String thread) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();
    /** A permit per write. */
    private final java.util.concurrent.Semaphore written = new java.util.concurrent.Semaphore(0);
    private final AuditSink sink = new AuditSink() {
        @Override
        public void record(AuditRecord record) {
            recordAll(List.of(record));
        }

        @Override
        public void recordAll(List<AuditRecord> records) {
            writes.add(new Write(records.stream().map(AuditRecord::action).toList(), Thread.currentThread().getName()));
            written.release();
        }
    };

    @Test
    void the_request_is_written_with_the_packaging_record_in_one_write_and_not_on_the_bots_thread() throws Exception {
        handoff = Handoff.builder().auditSink(sink).build();
        acceptsNextOffer("support", "alice");
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffOutcome outcome = session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(writes).first().satisfies(w -> {
            assertThat(w.actions()).containsExactly(AuditRecord.Action.HANDOFF_REQUESTED, AuditRecord.Action.CONTEXT_PACKAGED);
            assertThat(w.thread()).isNotEqualTo(Thread.currentThread().getName());
        });
        assertThat(writes).extracting(Write::thread).doesNotContain(Thread.currentThread().getName());
    }

    @Test
    void a_handoff_whose_observer_takes_time_has_its_request_recorded_before_the_observer_answers() throws Exception {
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        dev.handoff.core.context.DeterministicSummarizer deterministic = new dev.handoff.core.context.DeterministicSummarizer();
        handoff = Handoff.builder().auditSink(sink).summarizer((conversation, decision) -> {   // an LLM observer, say
            try {
                answer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return deterministic.summarize(conversation, decision);
        }).build();
        HandoffSession session = handoff.open(Channel.CHAT);

        java.util.concurrent.CompletableFuture<HandoffOutcome> outcome =
                session.handOff(session.customer("can I speak to a human")).toCompletableFuture();

        assertThat(written.tryAcquire(10, TimeUnit.SECONDS)).as("a write while the observer is still thinking").isTrue();
        assertThat(writes).singleElement().extracting(Write::actions).isEqualTo(List.of(AuditRecord.Action.HANDOFF_REQUESTED));
        answer.countDown();
        assertThat(written.tryAcquire(10, TimeUnit.SECONDS)).as("the packaging's write").isTrue();
        assertThat(writes.get(1).actions()).containsExactly(AuditRecord.Action.CONTEXT_PACKAGED);
        outcome.cancel(false);
    }

    @Test
    void a_packaging_whose_store_fails_still_leaves_the_request_then_the_return_to_the_bot() throws Exception {
        handoff = Handoff.builder().auditSink(sink).contextStore(new FailingStore()).build();
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffOutcome outcome = session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(writes).flatExtracting(Write::actions)
                .containsExactly(AuditRecord.Action.HANDOFF_REQUESTED, AuditRecord.Action.RETURNED_TO_BOT);
    }

    @Test
    void a_handoff_that_waits_in_line_has_its_request_recorded_before_it_waits() throws Exception {
        handoff = Handoff.builder().auditSink(sink).maxInFlight(1).maxQueued(5).build();
        holdTheOnlySlot();
        HandoffSession first = handoff.open(SessionId.of("chat-first"), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);
        java.util.concurrent.CompletableFuture<HandoffOutcome> firstOutcome =
                first.handOff(first.customer("can I speak to a human")).toCompletableFuture();
        HandoffSession second = handoff.open(SessionId.of("chat-second"), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);

        second.handOff(second.customer("can I speak to a human"));

        assertThat(firstOutcome).as("the first still holds the slot").isNotDone();
        assertThat(writes).filteredOn(w -> w.thread().equals(Thread.currentThread().getName())).singleElement()
                .extracting(Write::actions).isEqualTo(List.of(AuditRecord.Action.HANDOFF_REQUESTED));
    }

    @Test
    void a_handoff_refused_over_capacity_writes_its_request_and_its_return_together() throws Exception {
        handoff = Handoff.builder().auditSink(sink).maxInFlight(1).maxQueued(0).build();
        holdTheOnlySlot();
        HandoffSession first = handoff.open(SessionId.of("chat-first"), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);
        java.util.concurrent.CompletableFuture<HandoffOutcome> firstOutcome =
                first.handOff(first.customer("can I speak to a human")).toCompletableFuture();
        HandoffSession second = handoff.open(SessionId.of("chat-second"), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);

        HandoffOutcome outcome = second.handOff(second.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(firstOutcome).as("the first still holds the slot").isNotDone();
        assertThat(outcome.cause()).isEqualTo(HandoffOutcome.Cause.OVER_CAPACITY);
        assertThat(writes).extracting(Write::actions)
                .contains(List.of(AuditRecord.Action.HANDOFF_REQUESTED, AuditRecord.Action.RETURNED_TO_BOT));
    }

    /**
     * Alice is signed in and never answers, so the first handoff waits for her (up to the transfer timeout) and keeps
     * the one slot while the second is requested. With nobody signed in the first would return to the bot at once
     * (nobody to offer it to) and free the slot, sometimes before the second arrives.
     */
    private void holdTheOnlySlot() {
        handoff.chatQueues().orElseThrow().queue("support").signIn("alice");
    }

    /** A context store that is down. */
    private static final class FailingStore implements dev.handoff.api.spi.ContextStore {
        private final InMemoryContextStore reads = new InMemoryContextStore();

        @Override
        public void put(HandoffContext context) {
            throw new RetriableHandoffException("context store unavailable (test)");
        }

        @Override
        public java.util.Optional<HandoffContext> get(String contextId) {
            return reads.get(contextId);
        }

        @Override
        public java.util.Optional<HandoffContext> latest(SessionId session) {
            return reads.latest(session);
        }
    }
}
