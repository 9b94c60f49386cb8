package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.store.InMemoryContextStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A store that is briefly down loses nothing and leaves nobody in silence. */
class StoreOutageTest {

    /** The default ledger behind a switch that makes it fail like a database that is down. */
    static final class FlakyLedger implements CommitmentLedger {
        final CommitmentLedger real = new InMemoryCommitmentLedger(Clock.systemUTC());
        final AtomicBoolean down = new AtomicBoolean();

        private void check() {
            if (down.get()) {
                throw new RetriableHandoffException("commitment store unavailable (test outage)");
            }
        }

        @Override
        public List<Commitment> observe(SessionId session, Turn turn) {
            check();
            return real.observe(session, turn);
        }

        @Override
        public Commitment record(SessionId session, Commitment commitment) {
            check();
            return real.record(session, commitment);
        }

        @Override
        public List<Commitment> commitments(SessionId session) {
            check();
            return real.commitments(session);
        }

        @Override
        public Commitment verify(SessionId session, String commitmentId, Verification verification) {
            check();
            return real.verify(session, commitmentId, verification);
        }
    }

    @Test
    void a_promise_made_while_the_ledger_is_down_is_recorded_once_it_is_back_in_order() throws Exception {
        FlakyLedger ledger = new FlakyLedger();
        try (Handoff handoff = Handoff.builder().commitmentLedger(ledger).transferTimeout(java.time.Duration.ofMillis(200)).build()) {
            HandoffSession s = handoff.open(SessionId.of("outage-1"), Channel.CHAT, CustomerData.UNKNOWN);
            s.customer("The annual plan is too expensive for my team");
            ledger.down.set(true);
            s.ai("I've applied a 15% discount to your first year.");
            s.ai("I've also waived the setup fee.");
            ledger.down.set(false);
            s.ai("Is there anything else I can help with?");

            assertThat(ledger.commitments(s.id())).extracting(Commitment::kind)
                    .containsExactly(Commitment.Kind.DISCOUNT, Commitment.Kind.FEE_WAIVER);
            HandoffOutcome outcome = s.handOff(s.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(handoff.contexts().get(outcome.contextId()).orElseThrow().commitments()).hasSize(2);
            s.end("done");
        }
    }

    @Test
    void a_context_store_that_is_down_returns_the_customer_to_the_bot_with_the_reason() throws Exception {
        ContextStore down = new ContextStore() {
            final ContextStore real = new InMemoryContextStore();

            @Override
            public void put(HandoffContext context) {
                throw new RetriableHandoffException("context store unavailable (test outage)");
            }

            @Override
            public Optional<HandoffContext> get(String contextId) {
                return real.get(contextId);
            }

            @Override
            public Optional<HandoffContext> latest(SessionId session) {
                return real.latest(session);
            }
        };
        try (Handoff handoff = Handoff.builder().contextStore(down).build()) {
            HandoffSession s = handoff.open(SessionId.of("outage-2"), Channel.CHAT, CustomerData.UNKNOWN);

            HandoffOutcome outcome = s.handOff(s.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
            assertThat(outcome.cause()).isEqualTo(HandoffOutcome.Cause.UNAVAILABLE);
            assertThat(outcome.summaryForBot()).startsWith("I couldn't connect you with a specialist just now");
            assertThat(s.owner()).isEqualTo(HandoffSession.Owner.BOT);
        }
    }
}
