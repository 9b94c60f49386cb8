package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Commitment;
import dev.handoff.api.Commitment.Status;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.core.store.FileCommitmentLedger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitmentLedgerTest {

    /** A Tuesday, 09:00 UTC. */
    private static final Instant T0 = Instant.parse("2026-03-03T09:00:00Z");
    private static final SessionId S = SessionId.of("chat-7");

    @TempDir
    Path dir;

    private static Turn ai(int index, String text) {
        return new Turn(index, Speaker.AI, text, T0, null, false);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "I've applied 15% off to your renewal.                                  | DISCOUNT HARD 15%",
            "If you sign this quarter, I might be able to offer 15% off.             | DISCOUNT SOFT 15%",
            "I can take $50 off your next invoice.                                   | DISCOUNT HARD $50",
            "I've issued a refund of $42.50 to your card.                            | REFUND HARD $42.50",
            "You may be eligible for a refund once we review it.                     | REFUND SOFT null",
            "I've added a $20 credit to your account.                                | CREDIT HARD $20",
            "Please update the credit card on file.                                  | ''",
            "Someone will call you back tomorrow at 3pm.                             | CALLBACK HARD 2026-03-04T15:00",
            "A specialist will call you back within 2 hours.                         | CALLBACK HARD 2026-03-03T11:00",
            "Your replacement will be delivered by Friday.                           | DELIVERY_DATE HARD 2026-03-06",
            "I've waived the late payment fee.                                       | FEE_WAIVER HARD late payment fee",
            "I'll see if we can waive the cancellation fee.                          | FEE_WAIVER SOFT cancellation fee",
            "I've started a 14-day free trial for your team.                         | FREE_TRIAL HARD 14 days",
            "I'm escalating this to a supervisor now.                                | ESCALATION HARD supervisor",
            "I've booked you in for Thursday at 10:30 am.                            | APPOINTMENT HARD 2026-03-05T10:30",
            "Unfortunately I can't offer a refund on this plan.                      | ''",
            "Would you like a refund or a credit?                                    | ''",
            "Our refund policy allows returns within 30 days.                        | ''",
            "Refunds are processed within 5 business days.                           | ''",
    })
    void promises_are_found_with_kind_strength_and_value(String text, String expected) {
        List<String> found = new CommitmentDetector().detect(ai(1, text)).stream()
                .map(c -> c.kind() + " " + c.strength() + " " + c.value()).toList();

        assertThat(found).isEqualTo(expected.isEmpty() ? List.of() : List.of(expected));
    }

    @Test
    void customer_turns_and_partial_turns_make_no_commitments() {
        CommitmentDetector d = new CommitmentDetector();

        assertThat(d.detect(new Turn(0, Speaker.CUSTOMER, "I want 15% off", T0, null, false))).isEmpty();
        assertThat(d.detect(new Turn(0, Speaker.AI, "I've applied 15% off", T0, null, true))).isEmpty();
    }

    @Test
    void lifecycle_goes_from_pending_to_confirmed_corrected_or_revoked_by_a_named_human_with_an_audit_trail() {
        InMemoryCommitmentLedger ledger = new InMemoryCommitmentLedger(new ManualTime(T0));
        ledger.observe(S, ai(1, "I've applied 15% off. I've also waived the setup fee. Someone will call you back tomorrow at 9am."));
        Instant t1 = T0.plusSeconds(20);

        Commitment confirmed = ledger.verify(S, "c-1", new Verification(Status.CONFIRMED, null, "alice", t1));
        Commitment corrected = ledger.verify(S, "c-3", new Verification(Status.CORRECTED, "2026-03-04T11:00", "alice", t1));
        Commitment revoked = ledger.verify(S, "c-2", new Verification(Status.REVOKED, null, "bob", t1));

        assertThat(ledger.commitments(S)).extracting(c -> c.id() + " " + c.kind() + " " + c.status() + " " + c.correctedValue() + " " + c.verifiedBy())
                .containsExactly("c-1 DISCOUNT CONFIRMED null alice", "c-2 FEE_WAIVER REVOKED null bob",
                        "c-3 CALLBACK CORRECTED 2026-03-04T11:00 alice");
        assertThat(confirmed.verifiedAt()).isEqualTo(t1);
        assertThat(corrected.value()).isEqualTo("2026-03-04T09:00");
        assertThat(ledger.history(S)).extracting(e -> e.action() + " " + e.commitment().id() + " " + e.commitment().status())
                .containsExactly("RECORDED c-1 PENDING_VERIFICATION", "RECORDED c-2 PENDING_VERIFICATION", "RECORDED c-3 PENDING_VERIFICATION",
                        "VERIFIED c-1 CONFIRMED", "VERIFIED c-3 CORRECTED", "VERIFIED c-2 REVOKED");
        assertThatThrownBy(() -> ledger.verify(S, "c-2", new Verification(Status.CONFIRMED, null, "carol", t1)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("commitment c-2 of session chat-7 was already revoked by bob at 2026-03-03T09:00:20Z");
        assertThatThrownBy(() -> ledger.verify(S, "c-9", new Verification(Status.CONFIRMED, null, "carol", t1)))
                .hasMessage("no commitment \"c-9\" in session chat-7");
        assertThat(revoked.status()).isEqualTo(Status.REVOKED);
    }

    @Test
    void durable_ledger_restores_commitments_and_the_audit_trail_after_reopening() {
        Path file = dir.resolve("ledger.journal");
        ManualTime time = new ManualTime(T0);
        List<Commitment> before;
        List<LedgerEntry> trail;
        try (FileCommitmentLedger ledger = FileCommitmentLedger.open(file, time)) {
            ledger.observe(S, ai(1, "I've applied 15% off to your renewal."));
            ledger.record(S, Commitment.pending("ignored", Commitment.Kind.OTHER, Commitment.Strength.HARD, "Free onboarding session",
                    null, 3));
            ledger.verify(S, "c-1", new Verification(Status.CORRECTED, "10%", "alice", T0.plusSeconds(30)));
            before = ledger.commitments(S);
            trail = ledger.history(S);
        }

        try (FileCommitmentLedger reopened = FileCommitmentLedger.open(file, time)) {
            assertThat(reopened.commitments(S)).isEqualTo(before);
            assertThat(reopened.history(S)).isEqualTo(trail).hasSize(3);
            assertThat(reopened.recovery().records()).isEqualTo(3);
            assertThat(reopened.observe(S, ai(5, "I've waived the late fee."))).extracting(Commitment::id).containsExactly("c-3");
        }
    }

    @Test
    void with_a_retention_a_sessions_book_is_forgotten_that_long_after_its_last_change() {
        ManualTime time = new ManualTime(T0);
        InMemoryCommitmentLedger ledger = new InMemoryCommitmentLedger(time, java.time.Duration.ofHours(2));
        SessionId quiet = SessionId.of("chat-quiet");
        SessionId busy = SessionId.of("chat-busy");
        ledger.observe(quiet, ai(1, "I've waived the late fee."));
        ledger.observe(busy, ai(1, "I've added a $20 credit to your account."));
        time.advance(java.time.Duration.ofMinutes(90));
        ledger.verify(busy, "c-1", new Verification(Status.CONFIRMED, null, "ana", time.instant()));   // a change: busy stays
        time.advance(java.time.Duration.ofMinutes(31));

        ledger.observe(SessionId.of("chat-new"), ai(1, "I can take $50 off your next invoice."));   // a change releases

        assertThat(ledger.commitments(quiet)).as("unchanged for 2 h 1 min").isEmpty();
        assertThat(ledger.history(quiet)).isEmpty();
        assertThat(ledger.commitments(busy)).extracting(Commitment::status).containsExactly(Status.CONFIRMED);
        assertThat(ledger.sessions()).containsExactlyInAnyOrder(busy, SessionId.of("chat-new"));

        time.advance(java.time.Duration.ofHours(2));
        ledger.observe(quiet, ai(2, "I've waived the late fee."));
        assertThat(ledger.sessions()).as("busy and chat-new unchanged for 2 h").containsExactly(quiet);
        assertThat(ledger.commitments(quiet)).extracting(Commitment::id).as("a forgotten session starts a new book").containsExactly("c-1");
    }

    @Test
    void a_retention_that_is_not_positive_is_refused_with_the_value() {
        assertThatThrownBy(() -> new InMemoryCommitmentLedger(new ManualTime(T0), java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retention must be positive, was PT0S");
    }
}
