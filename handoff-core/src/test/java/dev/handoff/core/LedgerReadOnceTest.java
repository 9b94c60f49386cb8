package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A handoff reads the session's commitments when it packages the context; when the agent connects it reads them
 * again only if that read found some or the session's ledger was written since. A ledger on a database pays a round
 * trip per read, so a handoff with nothing promised reads once; a promise recorded while the customer waits is still
 * seen, and the handoff then waits for its verdict instead of counting as verified.
 */
class LedgerReadOnceTest {

    @Test
    void a_handoff_with_nothing_promised_reads_the_ledger_once_and_is_verified_as_it_connects() throws Exception {
        CountedLedger ledger = new CountedLedger();
        try (Handoff handoff = Handoff.builder().commitmentLedger(ledger).build()) {
            AgentQueue support = aliceSignedIn(handoff);
            HandoffSession chat = handoff.open(SessionId.of("chat-once"), Channel.CHAT, CustomerData.UNKNOWN);
            CompletableFuture<HandoffOutcome> outcome = handOff(chat);
            Offer offer = support.take("alice", Duration.ofSeconds(10)).orElseThrow();
            assertThat(offer.accept()).isTrue();

            assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(handoff.phase(chat.id())).contains(HandoffPhase.VERIFIED);
            assertThat(ledger.reads.get()).as("read when packaging, not again when connecting").isEqualTo(1);
        }
    }

    @Test
    void a_promise_recorded_while_the_customer_waits_is_read_when_the_agent_connects() throws Exception {
        CountedLedger ledger = new CountedLedger();
        try (Handoff handoff = Handoff.builder().commitmentLedger(ledger).build()) {
            AgentQueue support = aliceSignedIn(handoff);
            HandoffSession chat = handoff.open(SessionId.of("chat-promise"), Channel.CHAT, CustomerData.UNKNOWN);
            CompletableFuture<HandoffOutcome> outcome = handOff(chat);
            Offer offer = support.take("alice", Duration.ofSeconds(10)).orElseThrow();   // packaged: the offer carries the context

            chat.commit(Commitment.pending("bot-1", Commitment.Kind.CALLBACK, Commitment.Strength.HARD,
                    "We will call you back tomorrow", "tomorrow", 0));
            assertThat(offer.accept()).isTrue();

            assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(handoff.phase(chat.id())).as("the callback waits for the agent's verdict").contains(HandoffPhase.CONNECTED);
            assertThat(ledger.reads.get()).as("read when packaging and again when connecting").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void a_write_under_way_when_packaging_reads_is_not_trusted_to_be_in_that_read() {
        LedgerWrites writes = new LedgerWrites();
        long[] during = new long[1];
        writes.write(() -> {
            during[0] = writes.mark();
            return null;
        });
        assertThat(during[0]).isEqualTo(-1);
        assertThat(writes.unchangedSince(during[0])).isFalse();
        long after = writes.mark();
        assertThat(writes.unchangedSince(after)).isTrue();
        writes.write(() -> null);
        assertThat(writes.unchangedSince(after)).isFalse();
    }

    private static CompletableFuture<HandoffOutcome> handOff(HandoffSession chat) {
        chat.customer("My invoice is wrong");
        return chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
    }

    private static AgentQueue aliceSignedIn(Handoff handoff) {
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        return support;
    }
}
