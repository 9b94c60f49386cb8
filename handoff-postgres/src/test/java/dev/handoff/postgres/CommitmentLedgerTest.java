package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.context.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommitmentLedgerTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:05:00Z");
    private static HikariDataSource db;
    private static HikariDataSource secondInstance;
    private static PostgresHandoffStores a;
    private static PostgresHandoffStores b;
    private static PostgresHandoffStores otherTenant;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("commitment_ledger", 8);
        secondInstance = EmbeddedDatabase.pool(db.getJdbcUrl(), 8);
        a = PostgresHandoffStores.builder(db).tenant("acme").instanceId("a").build();
        b = PostgresHandoffStores.builder(secondInstance).tenant("acme").instanceId("b").build();
        otherTenant = PostgresHandoffStores.builder(db).tenant("globex").build();
    }

    @AfterAll
    static void stop() {
        secondInstance.close();
        db.close();
    }

    private static Turn ai(int index, String text) {
        return Turn.of(index, Speaker.AI, text, T0.plusSeconds(index));
    }

    @Test
    void promises_in_ai_turns_are_numbered_per_session_and_read_by_any_instance() {
        SessionId s = SessionId.of("s-observe");

        List<Commitment> first = a.commitmentLedger().observe(s, ai(1, "I've applied 15% off. I've also waived the setup fee."));
        List<Commitment> second = b.commitmentLedger().observe(s, ai(3, "Someone will call you back tomorrow at 9am."));
        List<Commitment> none = a.commitmentLedger().observe(s, ai(5, "Is there anything else?"));

        assertThat(first).extracting(Commitment::id, Commitment::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c-1", Commitment.Kind.DISCOUNT),
                        org.assertj.core.groups.Tuple.tuple("c-2", Commitment.Kind.FEE_WAIVER));
        assertThat(first.get(0).value()).isEqualTo("15%");
        assertThat(second).extracting(Commitment::id).containsExactly("c-3");
        assertThat(none).isEmpty();
        assertThat(b.commitmentLedger().commitments(s)).containsExactlyElementsOf(
                List.of(first.get(0), first.get(1), second.get(0)));
    }

    @Test
    void a_verification_on_one_instance_is_seen_on_the_other_with_the_full_history() {
        SessionId s = SessionId.of("s-verify");
        a.commitmentLedger().observe(s, ai(1, "I've applied 15% off."));
        Instant at = T0.plusSeconds(30);

        Commitment corrected = b.commitmentLedger().verify(s, "c-1", new Verification(Commitment.Status.CORRECTED, "10%", "alice", at));

        assertThat(corrected.status()).isEqualTo(Commitment.Status.CORRECTED);
        assertThat(corrected.correctedValue()).isEqualTo("10%");
        assertThat(a.commitmentLedger().commitments(s)).containsExactly(corrected);
        assertThat(a.commitmentLedger().history(s)).extracting(LedgerEntry::action, e -> e.commitment().status(), LedgerEntry::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Action.RECORDED, Commitment.Status.PENDING_VERIFICATION, T0.plusSeconds(1)),
                        org.assertj.core.groups.Tuple.tuple(LedgerEntry.Action.VERIFIED, Commitment.Status.CORRECTED, at));
    }

    @Test
    void verifying_an_unknown_or_revoked_commitment_is_refused_and_changes_nothing() {
        SessionId s = SessionId.of("s-refuse");
        a.commitmentLedger().observe(s, ai(1, "I've applied 15% off."));
        a.commitmentLedger().verify(s, "c-1", new Verification(Commitment.Status.REVOKED, null, "bob", T0.plusSeconds(9)));

        assertThatThrownBy(() -> a.commitmentLedger().verify(s, "c-9", new Verification(Commitment.Status.CONFIRMED, null, "bob", T0)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("no commitment \"c-9\" in session s-refuse");
        assertThatThrownBy(() -> a.commitmentLedger().verify(SessionId.of("s-never"), "c-1",
                new Verification(Commitment.Status.CONFIRMED, null, "bob", T0)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("no commitment \"c-1\" in session s-never");
        assertThatThrownBy(() -> b.commitmentLedger().verify(s, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "carol", T0)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("commitment c-1 of session s-refuse was already revoked by bob at " + T0.plusSeconds(9));
        assertThat(a.commitmentLedger().history(s)).hasSize(2);
    }

    @Test
    void two_instances_recording_at_once_never_give_two_commitments_one_number() throws Exception {
        SessionId s = SessionId.of("s-race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                PostgresCommitmentLedger ledger = (i % 2 == 0 ? a : b).commitmentLedger();
                int turn = i;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int k = 0; k < 10; k++) {
                        ids.add(ledger.record(s, Commitment.pending("x", Commitment.Kind.CALLBACK, Commitment.Strength.HARD,
                                "I'll call you back", null, turn)).id());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 80; i++) {
            expected.add("c-" + i);
        }
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(a.commitmentLedger().commitments(s)).extracting(Commitment::id).containsExactlyElementsOf(expected);
    }

    @Test
    void another_tenant_sees_no_commitments_and_cannot_verify_them() {
        SessionId s = SessionId.of("s-tenant");
        a.commitmentLedger().observe(s, ai(1, "I've applied 15% off."));

        assertThat(otherTenant.commitmentLedger().commitments(s)).isEmpty();
        assertThat(otherTenant.commitmentLedger().history(s)).isEmpty();
        assertThatThrownBy(() -> otherTenant.commitmentLedger().verify(s, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "eve", T0)))
                .isInstanceOf(NonRetriableHandoffException.class);
        // the other tenant's own numbering starts at c-1 for the same session id
        assertThat(otherTenant.commitmentLedger().observe(s, ai(2, "I've waived the late fee."))).extracting(Commitment::id).containsExactly("c-1");
        assertThat(a.commitmentLedger().commitments(s)).extracting(Commitment::kind).containsExactly(Commitment.Kind.DISCOUNT);
    }

    @Test
    void text_postgres_cannot_hold_in_a_text_column_still_round_trips() {
        SessionId s = SessionId.of("s-nul");
        Commitment odd = Commitment.pending("x", Commitment.Kind.OTHER, Commitment.Strength.SOFT, "nul\u0000 and emoji \uD83D\uDE00", "v\u0000", 1);

        Commitment stored = a.commitmentLedger().record(s, odd);

        assertThat(a.commitmentLedger().commitments(s)).containsExactly(stored);
        assertThat(stored.text()).isEqualTo("nul\u0000 and emoji \uD83D\uDE00");
    }
}
