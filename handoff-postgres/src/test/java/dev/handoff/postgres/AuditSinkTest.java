package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.core.Handoff;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditSinkTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static HikariDataSource db;
    private static PostgresHandoffStores acme;
    private static PostgresHandoffStores globex;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("audit_sink", 4);
        acme = PostgresHandoffStores.builder(db).tenant("acme").build();
        globex = PostgresHandoffStores.builder(db).tenant("globex").build();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void records_left_in_an_audit_spool_while_the_table_was_unavailable_reach_it_from_the_next_handoff_once(@TempDir Path dir) {
        Path spool = dir.resolve("audit").resolve("spool.journal");
        AuditRecord viewed = new AuditRecord(T0.plusSeconds(700), "agent-1", AuditRecord.Action.CONTEXT_VIEWED, SessionId.of("s-spooled"),
                "ctx-1", "opened", "127.0.0.1");
        // what this sink throws while PostgreSQL is down or not answering (DatabaseUnavailableTest, DatabaseStopsAnsweringTest)
        AuditSink unavailable = r -> {
            throw new RetriableHandoffException("PostgreSQL unavailable while writing audit records (test)");
        };
        try (Handoff before = Handoff.builder().auditSink(unavailable).auditSpool(spool).build()) {
            before.auditSink().record(viewed);   // as the desktop does; kept, and in the spool
        }
        assertThat(acme.auditSink().records(SessionId.of("s-spooled"))).isEmpty();

        try (Handoff after = Handoff.builder().auditSink(acme.auditSink()).auditSpool(spool).build()) {
            // written from the spool at start, at the latest when it closes
        }
        assertThat(acme.auditSink().records(SessionId.of("s-spooled"))).as("from the spool, once, as it was made").containsExactly(viewed);
    }

    private static AuditRecord record(String session, AuditRecord.Action action, int second) {
        return new AuditRecord(T0.plusSeconds(second), "alice", action, SessionId.of(session), "ctx-1", "ok");
    }

    @Test
    void records_are_read_back_in_the_order_written() {
        acme.auditSink().record(record("s-order", AuditRecord.Action.HANDOFF_REQUESTED, 0));
        acme.auditSink().record(record("s-order", AuditRecord.Action.CONTEXT_PACKAGED, 1));
        acme.auditSink().record(new AuditRecord(T0.plusSeconds(2), "bot", AuditRecord.Action.RETURNED_TO_BOT, SessionId.of("s-order"), null,
                "TIMED_OUT"));

        assertThat(acme.auditSink().records(SessionId.of("s-order"))).containsExactly(
                record("s-order", AuditRecord.Action.HANDOFF_REQUESTED, 0),
                record("s-order", AuditRecord.Action.CONTEXT_PACKAGED, 1),
                new AuditRecord(T0.plusSeconds(2), "bot", AuditRecord.Action.RETURNED_TO_BOT, SessionId.of("s-order"), null, "TIMED_OUT"));
        assertThat(acme.auditSink().records(T0.plusSeconds(1), T0.plusSeconds(2), 10))
                .extracting(AuditRecord::action).containsExactly(AuditRecord.Action.CONTEXT_PACKAGED);
    }

    @Test
    void desk_records_without_a_conversation_keep_the_client_address() {
        AuditRecord signIn = new AuditRecord(T0.plusSeconds(500), "ana", AuditRecord.Action.DESK_SIGNED_IN, null, null, "ok", "10.1.2.3");
        AuditRecord viewed = new AuditRecord(T0.plusSeconds(501), "ana", AuditRecord.Action.CONTEXT_VIEWED, SessionId.of("s-desk"), "ctx-9",
                "ok", "2001:db8::7");
        acme.auditSink().record(signIn);
        acme.auditSink().record(viewed);

        assertThat(acme.auditSink().records(T0.plusSeconds(500), T0.plusSeconds(502), 10)).containsExactly(signIn, viewed);
        assertThat(acme.auditSink().records(SessionId.of("s-desk"))).containsExactly(viewed);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE handoff.audit_records SET outcome = 'forged'",
            "DELETE FROM handoff.audit_records",
            "TRUNCATE handoff.audit_records"})
    void the_table_refuses_changes_even_from_its_owner(String sql) throws SQLException {
        acme.auditSink().record(record("s-append-only", AuditRecord.Action.TICKET_REDEEMED, 5));
        long before = EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.audit_records");

        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("audit_records is append-only: " + sql.split(" ")[0] + " refused");
        }

        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.audit_records")).isEqualTo(before);
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.audit_records WHERE outcome = 'forged'")).isZero();
    }

    @Test
    void records_written_at_the_same_moment_share_commits_and_each_caller_finds_its_own_in_its_order() throws Exception {
        int callers = 32;
        int each = 40;
        PostgresAuditSink sink = PostgresHandoffStores.builder(db).tenant("acme-group").build().auditSink();
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                String session = "s-group-" + c;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        sink.record(record(session, AuditRecord.Action.TRANSFER_ATTEMPTED, i));
                        // returned: committed, so readable from another connection at once
                        assertThat(sink.records(SessionId.of(session))).hasSize(i + 1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int c = 0; c < callers; c++) {
            assertThat(sink.records(SessionId.of("s-group-" + c))).extracting(AuditRecord::at)
                    .as("caller %d: every record once, in its order", c)
                    .containsExactlyElementsOf(IntStream.range(0, each).mapToObj(T0::plusSeconds).toList());
        }
    }

    @Test
    void while_the_database_is_unreachable_every_waiting_caller_gets_the_retriable_error() throws Exception {
        try (HikariDataSource pool = EmbeddedDatabase.pool(db.getJdbcUrl(), 2, 500)) {
            CuttableDataSource network = new CuttableDataSource(pool);
            PostgresAuditSink sink = PostgresHandoffStores.builder(network).tenant("acme-cut").build().auditSink();
            network.cut(true);
            int callers = 8;
            CyclicBarrier start = new CyclicBarrier(callers);
            ExecutorService threads = Executors.newFixedThreadPool(callers);
            try {
                List<Future<Throwable>> outcomes = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    String session = "s-cut-" + c;
                    outcomes.add(threads.submit(() -> {
                        start.await();
                        try {
                            sink.record(record(session, AuditRecord.Action.HANDOFF_REQUESTED, 0));
                            return null;
                        } catch (RuntimeException e) {
                            return e;
                        }
                    }));
                }
                for (Future<Throwable> f : outcomes) {
                    assertThat(f.get(2, TimeUnit.MINUTES)).isInstanceOf(RetriableHandoffException.class);
                }
            } finally {
                threads.shutdownNow();
            }
            network.cut(false);
            sink.record(record("s-cut-after", AuditRecord.Action.HANDOFF_REQUESTED, 0));
            assertThat(sink.records(SessionId.of("s-cut-after"))).hasSize(1);
            assertThat(sink.records(T0.minusSeconds(1), T0.plusSeconds(1), 100)).as("nothing half-written")
                    .extracting(AuditRecord::sessionId).containsExactly(SessionId.of("s-cut-after"));
        }
    }

    @Test
    void another_tenant_reads_none_of_the_records() {
        acme.auditSink().record(record("s-tenant", AuditRecord.Action.CONTEXT_VIEWED, 3));

        assertThat(globex.auditSink().records(SessionId.of("s-tenant"))).isEmpty();
        assertThat(globex.auditSink().records(T0.minusSeconds(60), T0.plusSeconds(60), 100)).isEmpty();
        assertThat(acme.auditSink().records(SessionId.of("s-tenant"))).hasSize(1);
    }
}
