package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Callers who write audit records while another caller's write is under way are written together by the next
 * statement, each caller's records together and in its order, and each returns once its records are committed; a
 * caller whose record the database refuses fails alone.
 */
class AuditGroupCommitTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static final long WAIT_SECONDS = 30;
    private static final int CALLERS = 6;

    @Test
    void callers_who_arrive_during_a_write_share_the_next_one() throws Exception {
        CountDownLatch atGate = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicInteger inserts = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS + 1);
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("audit_group", 4)) {
            PostgresAuditSink sink = PostgresHandoffStores.builder(WatchedDataSource.of(db, sql -> {
                if (sql.startsWith("INSERT INTO handoff.audit_records")) {
                    inserts.incrementAndGet();
                    if (armed.compareAndSet(true, false)) {
                        atGate.countDown();
                        open.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    }
                }
            })).tenant("acme").build().auditSink();

            Future<?> first = callers.submit(() -> sink.recordAll(records("s-0")));
            assertThat(atGate.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the first write reached the database").isTrue();
            List<Future<?>> later = new ArrayList<>();
            for (int i = 1; i <= CALLERS; i++) {
                String session = "s-" + i;
                later.add(callers.submit(() -> sink.recordAll(records(session))));
            }
            awaitQueued(sink, CALLERS);
            assertThat(later).as("nobody returns before their records are written").noneMatch(Future::isDone);
            open.countDown();

            first.get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (Future<?> f : later) {
                f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            assertThat(inserts.get()).as("the six callers who came during the first write: one statement").isEqualTo(2);
            for (int i = 0; i <= CALLERS; i++) {
                assertThat(sink.records(SessionId.of("s-" + i))).as("session s-%d", i).isEqualTo(records("s-" + i));
            }
            assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.audit_records")).isEqualTo(3L * (CALLERS + 1));
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void a_record_the_database_refuses_fails_only_its_caller() throws Exception {
        CountDownLatch atGate = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("audit_group_bad", 4)) {
            PostgresAuditSink sink = PostgresHandoffStores.builder(WatchedDataSource.of(db, sql -> {
                if (sql.startsWith("INSERT INTO handoff.audit_records") && armed.compareAndSet(true, false)) {
                    atGate.countDown();
                    open.await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            })).tenant("acme").build().auditSink();
            Future<?> first = callers.submit(() -> sink.recordAll(records("s-first")));
            assertThat(atGate.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            // a NUL character in a context id: PostgreSQL's text refuses it
            AuditRecord bad = new AuditRecord(T0, "alice", AuditRecord.Action.TICKET_REDEEMED, SessionId.of("s-bad"), "ctx\u0000bad", "ok");
            Future<?> refused = callers.submit(() -> sink.record(bad));
            Future<?> good = callers.submit(() -> sink.recordAll(records("s-good")));
            awaitQueued(sink, 2);
            open.countDown();

            first.get(WAIT_SECONDS, TimeUnit.SECONDS);
            good.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(sink.records(SessionId.of("s-good"))).isEqualTo(records("s-good"));
            try {
                refused.get(WAIT_SECONDS, TimeUnit.SECONDS);
                throw new AssertionError("the refused record's caller returned normally");
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("writing audit record TICKET_REDEEMED of session s-bad");
            }
            assertThat(sink.records(SessionId.of("s-bad"))).isEmpty();
        } finally {
            callers.shutdownNow();
        }
    }

    private static List<AuditRecord> records(String session) {
        SessionId id = SessionId.of(session);
        return List.of(new AuditRecord(T0, "system", AuditRecord.Action.HANDOFF_REQUESTED, id, null, "ok"),
                new AuditRecord(T0.plusSeconds(1), "system", AuditRecord.Action.CONTEXT_PACKAGED, id, "ctx-" + session, "ok"),
                new AuditRecord(T0.plusSeconds(2), "alice", AuditRecord.Action.HANDOFF_CONNECTED, id, "ctx-" + session, "connected"));
    }

    private static void awaitQueued(PostgresAuditSink sink, int callers) throws InterruptedException {
        Await.until(() -> sink.queued() >= callers, Duration.ofSeconds(WAIT_SECONDS), callers + " callers queued behind the first write");
    }
}
