package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.Commitment;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.store.OutboxStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A claim ({@code FOR UPDATE SKIP LOCKED}, then {@code UPDATE ... FROM} the locked rows) reads the rows it locks, not
 * every row of the tenant, also with a plan the server made while the table was small and before its first
 * {@code ANALYZE}, as on a new database until autovacuum's first visit. The outbox's claim did not: kept from the
 * dispatcher's first polls, its plan joined the update by scanning every row of the tenant, so deliveries slowed as
 * delivered entries piled up, to about 240 a second by the end of the first minute against 1,000 or more now
 * (benchmarks/README.md, "CRM outbox throughput"); here it touched 451 buffers with {@value #FINISHED} delivered
 * entries, against 31-34 now that the update finds the locked rows where they lie ({@code Tenancy.LOCKED_ROW}). The
 * commitment deadlines' and the chat queues' claims, written the same way since, read few rows before as well (64 and
 * 20 buffers, against 46-48 and 14-15 now); they are held to the same bound. Each test fills a table whose
 * autovacuum is off with {@value #FINISHED} finished rows (copies of a real one) and counts, through
 * pg_stat_statements, the buffers one claim touched.
 */
class ClaimsBeforeAnalyzeTest {

    /** Finished rows (delivered, fired, accepted, ended) in each table when the claim runs. */
    private static final int FINISHED = 2_000;
    /** What one claim may touch: one that reads only what it locks touches tens of buffers (14 to 48 here). */
    private static final long MAX_BUFFERS = FINISHED / 10;
    private static final long WAIT_SECONDS = 30;
    /**
     * Claims run while a table is still small, before it fills: enough for the driver to prepare the statement on the
     * server (its fifth run) and for the server to keep one plan for it from then on. The databases here keep a
     * statement's plan from its first prepared run ({@code plan_cache_mode = force_generic_plan}); by default the
     * server does so from its sixth when, as on a small table, the kept plan costs no more than fresh ones.
     */
    private static final int PLANNED = 8;
    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private static EmbeddedPostgres server;

    @BeforeAll
    static void start() throws IOException {
        // its own server: pg_stat_statements must be loaded when the server starts
        server = EmbeddedPostgres.builder().setServerConfig("shared_preload_libraries", "pg_stat_statements").start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void an_outbox_claim_reads_the_due_entries_not_the_delivered_ones() throws Exception {
        try (HikariDataSource db = database("outbox_claims")) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(db).shareRunningHandoffs(false).build();
            OutboxStore outbox = stores.outbox();
            noAutovacuum(db, "outbox");
            Instant now = Instant.now();
            outbox.append("webhook", "k-0", Contexts.context("ctx-0", "s-0", "cus-0", now));
            for (int i = 0; i < PLANNED; i++) {   // a dispatcher polls from the start, while the table is small
                assertThat(outbox.claimDue(Set.of("other"), 16, Duration.ofSeconds(30))).isEmpty();
            }
            copies(db, "outbox", "idempotency_key = 'k-0'",
                    "'entry_id', 'done-' || g, 'idempotency_key', 'done-' || g, 'state', 'DELIVERED'");
            for (int i = 1; i <= 3; i++) {
                outbox.append("webhook", "k-" + i, Contexts.context("ctx-" + i, "s-" + i, "cus-" + i, now));
            }
            resetStatements(db);

            List<OutboxStore.Claim> claims = outbox.claimDue(Set.of("webhook"), 16, Duration.ofSeconds(30));

            assertThat(claims).extracting(c -> c.entry().idempotencyKey()).containsExactlyInAnyOrder("k-0", "k-1", "k-2", "k-3");
            assertThat(buffersPerCall(db, "WITH due AS MATERIALIZED (SELECT entry_id"))
                    .as("buffers one claim touched, with %d delivered entries in the table", FINISHED).isLessThan(MAX_BUFFERS);
        }
    }

    @Test
    void a_deadline_poll_reads_the_due_deadlines_not_the_fired_ones() throws Exception {
        try (HikariDataSource db = database("deadline_claims")) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(db).shareRunningHandoffs(false).build();
            noAutovacuum(db, "commitment_deadlines");
            Instant past = Instant.now().minusSeconds(60);
            for (int i = 0; i <= 3; i++) {
                SessionId s = SessionId.of("s-" + i);
                stores.commitmentLedger().record(s, Commitment.pending("x", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD,
                        "15% off", "15%", 1));
                stores.commitmentDeadlines().schedule(s, past.plusSeconds(3_600));
            }
            for (int i = 0; i < PLANNED; i++) {   // the pollers poll from the start, while the table is small
                assertThat(stores.commitmentDeadlines().pollDue(o -> { })).isZero();
            }
            for (int i = 0; i <= 3; i++) {
                stores.commitmentDeadlines().schedule(SessionId.of("s-" + i), past);
            }
            copies(db, "commitment_deadlines", "session_id = 's-0'", "'session_id', 'done-' || g, 'state', 'FIRED'");
            resetStatements(db);

            List<String> overdue = new java.util.ArrayList<>();
            int fired = stores.commitmentDeadlines().pollDue(o -> overdue.add(o.session().value()));

            assertThat(fired).isEqualTo(4);
            assertThat(overdue).containsExactlyInAnyOrder("s-0", "s-1", "s-2", "s-3");
            assertThat(buffersPerCall(db, "WITH due AS MATERIALIZED (SELECT session_id"))
                    .as("buffers one poll's claim touched, with %d fired deadlines in the table", FINISHED).isLessThan(MAX_BUFFERS);
        }
    }

    @Test
    void an_agent_asking_for_work_reads_the_waiting_offers_not_the_accepted_ones() throws Exception {
        try (HikariDataSource db = database("offer_claims")) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("t-claims").instanceId("claims-a").build();
            try (Handoff a = handoff(stores)) {
                noAutovacuum(db, "offers");
                AgentQueue queue = a.chatQueues().orElseThrow().queue("support");
                queue.signIn("agent-1");   // signed in, not asking yet: the offers are stored waiting and claimed later
                for (int i = 0; i < PLANNED; i++) {
                    connects(a, queue, "chat-0" + (i == 0 ? "" : "-" + i));
                }
                copies(db, "offers", "session_id = 'chat-0'", "'offer_id', 'done-' || g, 'session_id', 'done-' || g");
                HandoffSession chat = a.open(SessionId.of("chat-1"), Channel.CHAT, CustomerData.of("cus-chat-1", Map.of()));
                chat.customer("My invoice is wrong");
                var outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
                EmbeddedDatabase.awaitRow(db, Duration.ofSeconds(WAIT_SECONDS),
                        "SELECT 1 FROM handoff.offers WHERE session_id = ? AND state = 'WAITING'", "chat-1");
                resetStatements(db);

                Offer offer = queue.next("agent-1", Duration.ofSeconds(60)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();

                assertThat(offer.request().sessionId().value()).isEqualTo("chat-1");
                assertThat(offer.accept()).isTrue();
                assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(buffersPerCall(db, "WITH locked AS MATERIALIZED"))
                        .as("buffers one claim touched, with %d accepted offers in the table", FINISHED).isLessThan(MAX_BUFFERS);
            }
        }
    }

    /** A chat on {@code instance} asks for a person; agent-1 takes the offer and the handoff connects, then the chat ends. */
    private static void connects(Handoff instance, AgentQueue queue, String session) throws Exception {
        HandoffSession chat = instance.open(SessionId.of(session), Channel.CHAT, CustomerData.of("cus-" + session, Map.of()));
        chat.customer("My parcel never came");
        var outcome = chat.handOff(chat.customer("I want a human")).toCompletableFuture();
        Offer offer = queue.next("agent-1", Duration.ofSeconds(60)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
        assertThat(offer.accept()).isTrue();
        assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        chat.end("done");
    }

    private static Handoff handoff(PostgresHandoffStores stores) {
        return stores.applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(60))
                .maxWait(Duration.ofMinutes(2)).build();
    }

    /** A new database on this class's server, with pg_stat_statements installed in it. */
    private static HikariDataSource database(String name) {
        EmbeddedDatabase.execute(server.getPostgresDatabase(), "CREATE DATABASE " + name);
        HikariDataSource db = EmbeddedDatabase.pool(server.getJdbcUrl("postgres", name), 2);
        EmbeddedDatabase.execute(db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        EmbeddedDatabase.execute(db, "ALTER DATABASE " + name + " SET plan_cache_mode = force_generic_plan");
        db.getHikariPoolMXBean().softEvictConnections();
        return db;
    }

    /** Keeps autovacuum away from {@code table}, so it stays without statistics, as a new database's tables are. */
    private static void noAutovacuum(DataSource db, String table) {
        EmbeddedDatabase.execute(db, "ALTER TABLE handoff." + table + " SET (autovacuum_enabled = off)");
    }

    /**
     * Inserts {@value #FINISHED} copies of the row of {@code table} matching {@code where}, with the columns named in
     * {@code changes} ({@code jsonb_build_object} pairs over {@code g}, 1 to {@value #FINISHED}) changed.
     */
    private static void copies(DataSource db, String table, String where, String changes) {
        EmbeddedDatabase.execute(db, "INSERT INTO handoff." + table + " OVERRIDING SYSTEM VALUE SELECT (jsonb_populate_record(t,"
                + " jsonb_build_object(" + changes + "))).* FROM handoff." + table + " t, generate_series(1, " + FINISHED + ") g"
                + " WHERE " + where);
    }

    private static void resetStatements(DataSource db) {
        EmbeddedDatabase.execute(db, "SELECT pg_stat_statements_reset()");
    }

    /** The shared buffers the statements starting with {@code prefix} touched per call since the last reset. */
    private static long buffersPerCall(DataSource db, String prefix) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT sum(shared_blks_hit + shared_blks_read), sum(calls) FROM pg_stat_statements"
                     + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query LIKE ? || '%'")) {
            p.setString(1, prefix);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                long calls = rs.getLong(2);
                assertThat(calls).as("calls of %s...", prefix).isPositive();
                long buffers = rs.getLong(1);
                return buffers / calls;
            }
        }
    }
}
