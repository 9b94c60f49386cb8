package dev.handoff.core;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Commitment;
import dev.handoff.api.Commitment.Status;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitmentDeadlinesTest {

    /** A Tuesday, 09:00 UTC. */
    private static final Instant T0 = Instant.parse("2026-03-03T09:00:00Z");
    private static final SessionId S = SessionId.of("chat-7");

    private static Turn ai(int index, String text) {
        return new Turn(index, Speaker.AI, text, T0, null, false);
    }

    @Test
    void overdue_event_lists_what_is_still_pending_when_the_deadline_passes() {
        ManualTime time = new ManualTime(T0);
        InMemoryCommitmentLedger ledger = new InMemoryCommitmentLedger(time);
        List<HandoffEvent> events = new ArrayList<>();
        CommitmentDeadlines deadlines = new CommitmentDeadlines(ledger, time, time, HandoffSettings.DEFAULT_COMMITMENT_DEADLINE, events::add);
        ledger.observe(S, ai(1, "I've applied 15% off. I've waived the setup fee."));

        deadlines.agentConnected(S, T0);
        time.advance(Duration.ofSeconds(30));
        deadlines.verify(S, "c-1", new Verification(Status.CONFIRMED, null, "alice", time.instant()));
        time.advance(Duration.ofSeconds(29));

        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("CommitmentUpdated");
        assertThat(deadlines.deadline(S)).contains(T0.plusSeconds(60));

        time.advance(Duration.ofSeconds(1));

        assertThat(events).hasSize(2).last().isInstanceOfSatisfying(HandoffEvent.CommitmentOverdue.class, o -> {
            assertThat(o.pending()).extracting(Commitment::id).containsExactly("c-2");
            assertThat(o.deadline()).isEqualTo(T0.plusSeconds(60));
            assertThat(o.at()).isEqualTo(T0.plusSeconds(60));
        });
        assertThat(deadlines.deadline(S)).isEmpty();
    }

    @Test
    void verifying_everything_in_time_cancels_the_deadline() {
        ManualTime time = new ManualTime(T0);
        InMemoryCommitmentLedger ledger = new InMemoryCommitmentLedger(time);
        List<HandoffEvent> events = new ArrayList<>();
        CommitmentDeadlines deadlines = new CommitmentDeadlines(ledger, time, time, Duration.ofSeconds(60), events::add);
        ledger.observe(S, ai(1, "I've applied 15% off."));

        deadlines.agentConnected(S, T0);
        deadlines.verify(S, "c-1", new Verification(Status.REVOKED, null, "alice", T0.plusSeconds(10)));
        time.advance(Duration.ofMinutes(5));

        assertThat(events).singleElement().isInstanceOf(HandoffEvent.CommitmentUpdated.class);
        assertThat(time.pending()).isZero();
        assertThat(deadlines.running()).isZero();
    }

    @Test
    void a_session_without_commitments_starts_no_timer() {
        ManualTime time = new ManualTime(T0);
        CommitmentDeadlines deadlines = new CommitmentDeadlines(new InMemoryCommitmentLedger(time), time, time,
                Duration.ofSeconds(60), e -> { });

        deadlines.agentConnected(S, T0);

        assertThat(time.pending()).isZero();
    }
}
