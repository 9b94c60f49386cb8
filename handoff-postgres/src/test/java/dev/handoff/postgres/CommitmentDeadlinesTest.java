package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommitmentDeadlinesTest {

    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static HikariDataSource db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("commitment_deadlines", 8);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static PostgresHandoffStores instance(String tenant, String id, ManualTime clock, javax.sql.DataSource ds) {
        return PostgresHandoffStores.builder(ds).tenant(tenant).instanceId(id).clock(clock).deadlineBatchSize(7)
                .deadlineClaimLease(Duration.ofSeconds(30)).build();
    }

    private static void promise(PostgresHandoffStores stores, SessionId s) {
        stores.commitmentLedger().record(s, Commitment.pending("x", Commitment.Kind.DISCOUNT, Commitment.Strength.HARD, "15% off", "15%", 1));
    }

    @Test
    void each_due_deadline_fires_exactly_once_across_four_instances_polling_at_once() throws Exception {
        ManualTime clock = new ManualTime(T0);
        List<HikariDataSource> pools = new ArrayList<>();
        List<PostgresHandoffStores> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HikariDataSource pool = EmbeddedDatabase.pool(db.getJdbcUrl(), 3);
            pools.add(pool);
            instances.add(instance("fleet", "i-" + i, clock, pool));
        }
        int sessions = 200;
        for (int i = 0; i < sessions; i++) {
            SessionId s = SessionId.of("s-fleet-" + i);
            promise(instances.get(i % 4), s);
            instances.get(i % 4).commitmentDeadlines().schedule(s, T0.plusSeconds(60));
        }
        clock.advance(Duration.ofSeconds(61));

        Map<SessionId, List<String>> firedBy = new ConcurrentHashMap<>();
        AtomicInteger handed = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> polls = new ArrayList<>();
            for (PostgresHandoffStores inst : instances) {
                polls.add(threads.submit(() -> {
                    go.await();
                    int n;
                    do {
                        n = inst.commitmentDeadlines().pollDue(o -> {
                            firedBy.computeIfAbsent(o.session(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                    .add(inst.commitmentDeadlines().instanceId());
                            assertThat(o.pending()).hasSize(1);
                            assertThat(o.due()).isEqualTo(T0.plusSeconds(60));
                        });
                        handed.addAndGet(n);
                    } while (n > 0);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : polls) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(firedBy).hasSize(sessions);
        assertThat(firedBy.values()).allSatisfy(by -> assertThat(by).hasSize(1));
        assertThat(handed.get()).isEqualTo(sessions);
        assertThat(instances.get(0).commitmentDeadlines().pollDue(o -> { })).isZero();
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void a_deadline_fires_only_when_due_and_only_with_commitments_still_pending() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores a = instance("due", "a", clock, db);
        SessionId pending = SessionId.of("s-pending");
        SessionId verified = SessionId.of("s-verified");
        promise(a, pending);
        promise(a, verified);
        a.commitmentDeadlines().schedule(pending, T0.plusSeconds(60));
        a.commitmentDeadlines().schedule(verified, T0.plusSeconds(60));
        a.commitmentLedger().verify(verified, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "alice", T0.plusSeconds(20)));
        List<SessionId> fired = new ArrayList<>();

        clock.advance(Duration.ofSeconds(59));
        assertThat(a.commitmentDeadlines().pollDue(o -> fired.add(o.session()))).isZero();
        assertThat(a.commitmentDeadlines().deadline(pending)).contains(T0.plusSeconds(60));

        clock.advance(Duration.ofSeconds(1));
        assertThat(a.commitmentDeadlines().pollDue(o -> fired.add(o.session()))).isEqualTo(1);
        assertThat(fired).containsExactly(pending);
        assertThat(a.commitmentDeadlines().deadline(pending)).isEmpty();
        assertThat(a.commitmentDeadlines().deadline(verified)).isEmpty();
    }

    @Test
    void a_restarted_deadline_moves_and_a_cancelled_one_never_fires() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores a = instance("restart", "a", clock, db);
        SessionId moved = SessionId.of("s-moved");
        SessionId cancelled = SessionId.of("s-cancelled");
        promise(a, moved);
        promise(a, cancelled);
        a.commitmentDeadlines().schedule(moved, T0.plusSeconds(60));
        a.commitmentDeadlines().schedule(cancelled, T0.plusSeconds(60));

        a.commitmentDeadlines().schedule(moved, T0.plusSeconds(120));
        assertThat(a.commitmentDeadlines().cancel(cancelled)).isTrue();
        assertThat(a.commitmentDeadlines().cancel(cancelled)).isFalse();
        List<SessionId> fired = new ArrayList<>();

        clock.advance(Duration.ofSeconds(90));
        a.commitmentDeadlines().pollDue(o -> fired.add(o.session()));
        assertThat(fired).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        a.commitmentDeadlines().pollDue(o -> fired.add(o.session()));
        assertThat(fired).containsExactly(moved);
    }

    @Test
    void when_the_handler_fails_the_deadline_is_released_and_fires_on_a_later_poll() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores a = instance("retry", "a", clock, db);
        PostgresHandoffStores b = instance("retry", "b", clock, db);
        SessionId s = SessionId.of("s-retry");
        promise(a, s);
        a.commitmentDeadlines().schedule(s, T0.plusSeconds(60));
        clock.advance(Duration.ofSeconds(61));

        int handed = a.commitmentDeadlines().pollDue(o -> {
            throw new IllegalStateException("event bus refused");
        });
        List<String> fired = new ArrayList<>();
        int second = b.commitmentDeadlines().pollDue(o -> fired.add("b:" + o.session()));

        assertThat(handed).isZero();
        assertThat(second).isEqualTo(1);
        assertThat(fired).containsExactly("b:s-retry");
    }

    @Test
    void a_claim_whose_instance_stopped_is_taken_over_after_the_lease_and_the_late_finish_is_fenced() throws Exception {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores a = instance("lease", "a", clock, db);
        PostgresHandoffStores b = instance("lease", "b", clock, db);
        SessionId s = SessionId.of("s-lease");
        promise(a, s);
        a.commitmentDeadlines().schedule(s, T0.plusSeconds(60));
        clock.advance(Duration.ofSeconds(61));
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> fired = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        try {
            // instance a claims the deadline and then hangs (as a process that stopped would)
            Future<Integer> aPoll = stuck.submit(() -> a.commitmentDeadlines().pollDue(o -> {
                claimed.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                fired.add("a");
            }));
            assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(b.commitmentDeadlines().pollDue(o -> fired.add("b-early"))).as("inside a's lease").isZero();
            clock.advance(Duration.ofSeconds(30));
            assertThat(b.commitmentDeadlines().pollDue(o -> fired.add("b"))).as("after a's lease").isEqualTo(1);

            release.countDown();
            assertThat(aPoll.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            stuck.shutdownNow();
        }

        assertThat(fired).containsExactly("b", "a");
        assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.commitment_deadlines WHERE tenant_id = 'lease'"
                + " AND state = 'FIRED' AND claimed_by = 'b'")).isEqualTo(1);
        assertThat(a.commitmentDeadlines().pollDue(o -> fired.add("again"))).isZero();
    }

    @Test
    void another_tenants_poller_never_sees_a_due_deadline() {
        ManualTime clock = new ManualTime(T0);
        PostgresHandoffStores acme = instance("acme", "a", clock, db);
        PostgresHandoffStores globex = instance("globex", "g", clock, db);
        SessionId s = SessionId.of("s-tenant");
        promise(acme, s);
        acme.commitmentDeadlines().schedule(s, T0.plusSeconds(60));
        clock.advance(Duration.ofSeconds(61));
        List<String> fired = new ArrayList<>();

        assertThat(globex.commitmentDeadlines().pollDue(o -> fired.add("globex"))).isZero();
        assertThat(globex.commitmentDeadlines().deadline(s)).isEmpty();
        assertThat(globex.commitmentDeadlines().cancel(s)).isFalse();
        assertThat(acme.commitmentDeadlines().pollDue(o -> fired.add("acme"))).isEqualTo(1);
        assertThat(fired).containsExactly("acme");
    }

    /** A claim whose sub-select the planner ran again per joined row would claim past its LIMIT (see PostgresOutbox). */
    @Test
    void a_poll_never_claims_more_deadlines_than_its_batch_even_with_many_due_and_pollers_racing() throws Exception {
        ManualTime clock = new ManualTime(T0);
        List<HikariDataSource> pools = new ArrayList<>();
        List<PostgresHandoffStores> pollers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HikariDataSource pool = EmbeddedDatabase.pool(db.getJdbcUrl(), 2);
            pools.add(pool);
            pollers.add(instance("batch", "p-" + i, clock, pool));   // batch size 7
        }
        // 600 due deadlines (without commitments: each claimed one is closed, so claims show in the table)
        EmbeddedDatabase.execute(db, "INSERT INTO handoff.commitment_deadlines (tenant_id, session_id, due_at, state, purge_after)"
                + " SELECT 'batch', 's-batch-' || n, TIMESTAMPTZ '2026-03-02 14:00:00Z', 'PENDING', TIMESTAMPTZ '2026-04-02 14:00:00Z'"
                + " FROM generate_series(1, 600) AS n");
        EmbeddedDatabase.execute(db, "ANALYZE handoff.commitment_deadlines");
        clock.advance(Duration.ofSeconds(1));
        String claimed = "SELECT count(*) FROM handoff.commitment_deadlines WHERE tenant_id = 'batch' AND claims > 0";

        pollers.get(0).commitmentDeadlines().pollDue(o -> { });
        long afterOne = EmbeddedDatabase.count(db, claimed);

        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> polls = new ArrayList<>();
            for (PostgresHandoffStores p : pollers) {
                polls.add(threads.submit(() -> {
                    go.await();
                    return p.commitmentDeadlines().pollDue(o -> { });
                }));
            }
            go.countDown();
            for (Future<?> f : polls) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            pools.forEach(HikariDataSource::close);
        }

        assertThat(afterOne).as("one poll claims its batch, no more").isEqualTo(7);
        assertThat(EmbeddedDatabase.count(db, claimed)).as("four polls at once claim four batches, no more").isEqualTo(7 + 4 * 7);
        assertThat(EmbeddedDatabase.count(db, claimed.replace("claims > 0", "claims > 1"))).as("no deadline claimed twice").isZero();
    }
}
