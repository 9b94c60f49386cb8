package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The end of a session cancels its commitment verification deadline only when one may be running: with a shared
 * store (handoff-postgres) each cancel is a round trip, and most handoffs connect with nothing to verify.
 */
class SessionEndDeadlineTest extends HandoffFixture {

    /** The in-memory deadlines, with every schedule and cancel written down. */
    static final class Counting implements VerificationDeadlines {
        final VerificationDeadlines delegate = VerificationDeadlines.inMemory();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void attach(Host host) {
            delegate.attach(host);
        }

        @Override
        public void schedule(SessionId session, Instant due) {
            calls.add("schedule " + session);
            delegate.schedule(session, due);
        }

        @Override
        public boolean cancel(SessionId session) {
            calls.add("cancel " + session);
            return delegate.cancel(session);
        }

        @Override
        public Optional<Instant> deadline(SessionId session) {
            return delegate.deadline(session);
        }

        @Override
        public int running() {
            return delegate.running();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private final Counting deadlines = new Counting();

    private HandoffOutcome connect(HandoffSession session, String... aiTurns) throws Exception {
        acceptsNextOffer("support", "alice");
        for (String ai : aiTurns) {
            session.ai(ai);
        }
        return session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_session_that_connected_with_nothing_to_verify_ends_without_cancelling_a_deadline() throws Exception {
        handoff = Handoff.builder().verificationDeadlines(deadlines).build();
        HandoffSession session = handoff.open(SessionId.of("chat-nothing"), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);

        assertThat(connect(session).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        session.end("done");

        assertThat(deadlines.calls).isEmpty();
    }

    @Test
    void a_session_with_a_promise_awaiting_verification_cancels_its_deadline_when_it_ends() throws Exception {
        handoff = Handoff.builder().verificationDeadlines(deadlines).build();
        HandoffSession session = handoff.open(SessionId.of("chat-promise"), Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);

        assertThat(connect(session, "I've waived the late fee on your account.").status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        session.end("done");

        assertThat(deadlines.calls).containsExactly("schedule chat-promise", "cancel chat-promise");
        assertThat(deadlines.running()).isZero();
    }
}
