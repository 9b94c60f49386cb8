package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.DataRetention;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.RedeemedTickets;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.testing.ManualTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RetentionAndErasureTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static final List<String> TABLES = List.of("contexts", "customer_sessions", "commitment_books", "commitment_events",
            "commitment_deadlines", "tickets");
    private static HikariDataSource db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("retention", 4);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Writes one row (or more) into every table for the session. */
    private static void conversation(PostgresHandoffStores stores, String session, String customer, Instant at) {
        SessionId s = SessionId.of(session);
        stores.contextStore().put(Contexts.context("ctx-" + session, session, customer, at));
        stores.commitmentLedger().record(s, Commitment.pending("x", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD, "15% off", "15%", 1));
        stores.commitmentDeadlines().schedule(s, at.plusSeconds(60));
        stores.redeemedTickets().claim(new RedeemedTickets.Claim("mac-" + session, "ctx-" + session, s, "alice", at, at.plusSeconds(900)));
    }

    private static long rows(String tenant, String table, String session) {
        return EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff." + table + " WHERE tenant_id = '" + tenant + "' AND session_id = '"
                + session + "'");
    }

    @Test
    void rows_past_the_retention_period_are_purged_from_every_table_and_newer_ones_stay() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("purge").clock(clock).retention(Duration.ofDays(7)).build();
        conversation(stores, "s-old", "cus-old", T0);
        clock.advance(Duration.ofDays(3));
        conversation(stores, "s-new", "cus-new", clock.instant());

        clock.advance(Duration.ofDays(5));
        DataRetention.Purge purge = stores.dataRetention().purgeExpired();

        for (String table : TABLES) {
            assertThat(rows("purge", table, "s-old")).as(table + " of the old session").isZero();
            assertThat(rows("purge", table, "s-new")).as(table + " of the new session").isPositive();
        }
        assertThat(purge.cutoff()).isEqualTo(clock.instant());
        assertThat(purge.removed()).containsAllEntriesOf(Map.of("contexts", 1L, "customer_sessions", 1L, "commitment_books", 1L,
                "commitment_deadlines", 1L, "tickets", 1L));
        assertThat(stores.dataRetention().purgeExpired().total()).isZero();
    }

    @Test
    void a_purge_removes_more_rows_than_one_batch_and_leaves_other_tenants_alone() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores many = PostgresHandoffStores.builder(db).tenant("many").clock(clock).retention(Duration.ofHours(1)).build();
        PostgresHandoffStores other = PostgresHandoffStores.builder(db).tenant("other").clock(clock).retention(Duration.ofHours(1)).build();
        int n = PostgresDataRetention.BATCH + 200;
        EmbeddedDatabase.execute(db, "INSERT INTO handoff.customer_sessions (tenant_id, customer_id, session_id, linked_at, purge_after)"
                + " SELECT 'many', 'cus-' || i, 's-' || i, now(), '" + T0 + "' FROM generate_series(1, " + n + ") AS i");
        other.dataRetention().linkSession(SessionId.of("s-other"), "cus-other");
        clock.advance(Duration.ofHours(2));

        DataRetention.Purge purge = many.dataRetention().purgeExpired();

        assertThat(purge.removed()).containsEntry("customer_sessions", (long) n);
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.customer_sessions WHERE tenant_id = 'other'")).isEqualTo(1);
    }

    @Test
    void erasing_a_customer_removes_every_row_of_theirs_in_one_step_and_audits_it() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores acme = PostgresHandoffStores.builder(db).tenant("erase").clock(clock).build();
        PostgresHandoffStores globex = PostgresHandoffStores.builder(db).tenant("erase-other").clock(clock).build();
        conversation(acme, "s-ann-1", "cus-ann", T0);
        conversation(acme, "s-ann-2", "cus-ann", T0);
        acme.dataRetention().linkSession(SessionId.of("s-ann-3"), "cus-ann");
        acme.commitmentLedger().record(SessionId.of("s-ann-3"), Commitment.pending("x", Commitment.Kind.CALLBACK, Commitment.Strength.HARD,
                "I'll call you", null, 1));
        conversation(acme, "s-bob", "cus-bob", T0);
        conversation(globex, "s-ann-1", "cus-ann", T0);

        DataRetention.Erasure erasure = acme.dataRetention().eraseCustomer("cus-ann", "privacy-desk");

        assertThat(erasure.sessions()).containsExactly(SessionId.of("s-ann-1"), SessionId.of("s-ann-2"), SessionId.of("s-ann-3"));
        for (String session : List.of("s-ann-1", "s-ann-2", "s-ann-3")) {
            for (String table : TABLES) {
                assertThat(rows("erase", table, session)).as(table + " of " + session).isZero();
            }
        }
        for (String table : TABLES) {
            assertThat(rows("erase", table, "s-bob")).as(table + " of another customer").isPositive();
            assertThat(rows("erase-other", table, "s-ann-1")).as(table + " of the same ids in another tenant").isPositive();
        }
        assertThat(erasure.removed()).containsEntry("contexts", 2L).containsEntry("commitment_events", 3L).containsEntry("customer_sessions", 3L);
        assertThat(acme.auditSink().records(SessionId.of("s-ann-3"))).containsExactly(
                new AuditRecord(T0, "privacy-desk", AuditRecord.Action.CUSTOMER_DATA_ERASED, SessionId.of("s-ann-3"), null, "erased"));
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.audit_records WHERE tenant_id = 'erase'"
                + " AND action = 'CUSTOMER_DATA_ERASED'")).isEqualTo(3);
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.audit_records WHERE position('cus-ann' in audit_records::text) > 0"))
                .as("the customer id is not written to the audit").isZero();
    }

    @Test
    void a_session_opened_for_a_known_customer_is_erased_with_them_although_it_never_handed_off() throws Exception {
        PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("erase-open").shareRunningHandoffs(false).build();
        SessionId session = SessionId.of("s-open-1");
        try (Handoff handoff = stores.applyTo(Handoff.builder()).build()) {
            HandoffSession chat = handoff.open(session, Channel.CHAT, CustomerData.of("cus-open", Map.of()));
            chat.customer("The annual plan is too expensive for my team");
            chat.ai("I've applied a 15% discount to your first year.");   // a promise: a commitment row, no context yet
            chat.end("the customer left");
        }
        assertThat(rows("erase-open", "commitment_events", "s-open-1")).as("the promise is stored").isPositive();

        DataRetention.Erasure erasure = stores.dataRetention().eraseCustomer("cus-open", "privacy-desk");

        assertThat(erasure.sessions()).as("found through the link made when the session opened").containsExactly(session);
        for (String table : TABLES) {
            assertThat(rows("erase-open", table, "s-open-1")).as(table).isZero();
        }
    }

    @Test
    void erasing_a_customer_with_no_data_still_leaves_an_audit_record() {
        PostgresHandoffStores acme = PostgresHandoffStores.builder(db).tenant("erase-none").build();

        DataRetention.Erasure erasure = acme.dataRetention().eraseCustomer("cus-unknown", "privacy-desk");

        assertThat(erasure.sessions()).isEmpty();
        assertThat(erasure.total()).isZero();
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.audit_records WHERE tenant_id = 'erase-none'"
                + " AND action = 'CUSTOMER_DATA_ERASED' AND outcome = 'no-data' AND actor = 'privacy-desk'")).isEqualTo(1);
    }

    @Test
    void erasure_input_is_checked_before_anything_is_removed() {
        PostgresHandoffStores acme = PostgresHandoffStores.builder(db).tenant("erase-bad").build();

        assertThatThrownBy(() -> acme.dataRetention().eraseCustomer(" ", "privacy-desk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("customerId must be 1-256 characters and not blank, was 1 characters");
        assertThatThrownBy(() -> acme.dataRetention().eraseCustomer("cus-1", "privacy desk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor must be 1-64 characters of [A-Za-z0-9_.:-], was \"privacy desk\"");
    }

    @Test
    void rows_past_their_retention_disappear_by_themselves_once_the_stores_serve_a_handoff() throws Exception {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores purging = PostgresHandoffStores.builder(db).tenant("auto").clock(clock).retention(Duration.ofHours(1))
                .retentionPurgeInterval(Duration.ofSeconds(1)).shareRunningHandoffs(false).build();
        PostgresHandoffStores off = PostgresHandoffStores.builder(db).tenant("auto-off").clock(clock).retention(Duration.ofHours(1))
                .retentionPurgeInterval(Duration.ofSeconds(1)).retentionPurgeInterval(Duration.ZERO).shareRunningHandoffs(false).build();
        conversation(purging, "s-expired", "cus-expired", T0);
        conversation(off, "s-expired", "cus-expired", T0);
        clock.advance(Duration.ofHours(2));
        SigningKeys keys = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

        try (Handoff a = purging.applyTo(Handoff.builder()).signingKeys(keys).build();
             Handoff b = off.applyTo(Handoff.builder()).signingKeys(keys).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // no event marks a purge: wait for its result in the tables
            while (TABLES.stream().mapToLong(table -> rows("auto", table, "s-expired")).sum() > 0) {
                assertThat(System.nanoTime()).as("the expired rows are purged within 30 s, with no purge call").isLessThan(deadline);
                Thread.sleep(100);
            }
        }

        for (String table : TABLES) {
            assertThat(rows("auto", table, "s-expired")).as(table).isZero();
            assertThat(rows("auto-off", table, "s-expired")).as(table + " where the purge is turned off").isPositive();
        }
    }

    @Test
    void a_purge_interval_out_of_range_is_refused_naming_the_value() {
        var builder = PostgresHandoffStores.builder(db);

        assertThatThrownBy(() -> builder.retentionPurgeInterval(Duration.ofMillis(500))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention purge interval must be PT0S (off) or PT1S to PT24H, was PT0.5S");
        assertThatThrownBy(() -> builder.retentionPurgeInterval(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention purge interval must be PT0S (off) or PT1S to PT24H, was PT48H");
        assertThatThrownBy(() -> builder.retentionPurgeInterval(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retention purge interval must be PT0S (off) or PT1S to PT24H, was PT-1S");
    }
}
