package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.postgres.HandoffOwnershipAcrossInstancesTest.Timeline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first-minute verification deadline with two Handoff instances on one PostgreSQL: the agent (on B) takes a
 * handoff that A owns, so the deadline starts on A; it fires once across both instances' listeners, not at all when
 * the commitments were verified on B in time, and on B when A died. The stores of both instances share one
 * {@link ManualTime} (the Handoffs run on the system clock): moving it past the due time makes the deadline due
 * for both pollers at once. Each test uses its own tenant on the one database.
 */
class CommitmentDeadlinesAcrossInstancesTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long WAIT_SECONDS = 30;

    private static HikariDataSource dbA;
    private static HikariDataSource dbB;

    @BeforeAll
    static void database() {
        dbA = EmbeddedDatabase.newDatabase("deadlines_across", 4);
        dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 4);
    }

    @AfterAll
    static void closeDatabase() {
        dbB.close();
        dbA.close();
    }

    /** One instance: its stores (on the shared test clock) and its Handoff. */
    static final class Instance implements AutoCloseable {
        final PostgresHandoffStores stores;
        final Handoff handoff;
        final Timeline timeline = new Timeline();
        private final AtomicBoolean closed = new AtomicBoolean();

        Instance(DataSource db, String tenant, String id, ManualTime storeClock) {
            this.stores = PostgresHandoffStores.builder(db).tenant(tenant).instanceId(id).clock(storeClock).pollInterval(POLL)
                    .deadlinePollInterval(POLL).build();
            this.handoff = stores.applyTo(Handoff.builder()).signingKeys(KEYS).commitmentDeadline(DEADLINE).listener(timeline).build();
        }

        long polls() {
            return stores.commitmentDeadlines().polls();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                handoff.close();
            }
        }
    }

    /**
     * The bot on A promises two things and hands off; bob, signed in on B, takes and accepts the offer: A's handoff
     * connects and A schedules the deadline (in the table, before the outcome is visible).
     */
    private static Instant connectedOnA(Instance a, Instance b, SessionId session, String tenant) throws Exception {
        var bobsQueue = b.handoff.chatQueues().orElseThrow().queue("support");
        bobsQueue.signIn("bob");
        CompletableFuture<Optional<Offer>> bob = bobsQueue.next("bob", Duration.ofSeconds(WAIT_SECONDS));
        HandoffSession chat = a.handoff.open(session, Channel.CHAT, CustomerData.of("cus-" + tenant, Map.of()));
        chat.customer("My invoice is wrong");
        chat.ai("I've applied 15% off. I've waived the setup fee.");
        chat.handOff(chat.customer("let me talk to a person"));
        assertThat(bob.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow().accept()).isTrue();
        a.timeline.await(HandoffEvent.HandoffCompleted.class, session);
        assertThat(b.handoff.commitments().commitments(session)).as("the shared ledger, read on B").hasSize(2);
        // the outcome row is written behind the runtime's back: wait for it, so no takeover can muddle the picture
        awaitCount("SELECT count(*) FROM handoff.handoffs WHERE tenant_id = '" + tenant + "' AND outcome = 'CONNECTED'", 1);
        return b.stores.commitmentDeadlines().deadline(session).orElseThrow();
    }

    private static List<HandoffEvent.CommitmentOverdue> overdue(Instance i, SessionId session) {
        return i.timeline.of(session).stream().filter(HandoffEvent.CommitmentOverdue.class::isInstance)
                .map(HandoffEvent.CommitmentOverdue.class::cast).toList();
    }

    @Test
    void a_due_deadline_fires_once_across_both_instances_listeners() throws Exception {
        String tenant = "t-once";
        SessionId session = SessionId.of("chat-deadline-once");
        ManualTime stores = new ManualTime(Instant.now());
        try (Instance a = new Instance(dbA, tenant, "i-a", stores); Instance b = new Instance(dbB, tenant, "i-b", stores)) {
            Instant due = connectedOnA(a, b, session, tenant);

            stores.advance(DEADLINE.multipliedBy(2));   // due for both pollers at once
            HandoffEvent.CommitmentOverdue fired = (HandoffEvent.CommitmentOverdue) CompletableFuture.anyOf(
                    a.timeline.first(e -> e instanceof HandoffEvent.CommitmentOverdue && e.sessionId().equals(session)),
                    b.timeline.first(e -> e instanceof HandoffEvent.CommitmentOverdue && e.sessionId().equals(session)))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            awaitPolls(a, b);   // both instances polled again after it fired

            assertThat(fired.deadline()).isEqualTo(due);
            assertThat(fired.pending()).extracting(Commitment::id).containsExactly("c-1", "c-2");
            assertThat(overdue(a, session).size() + overdue(b, session).size()).as("one overdue event across both instances").isEqualTo(1);
            assertThat(count("SELECT count(*) FROM handoff.commitment_deadlines WHERE tenant_id = '" + tenant + "' AND state = 'FIRED'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void commitments_verified_on_b_in_time_mean_no_overdue_event_anywhere() throws Exception {
        String tenant = "t-verified";
        SessionId session = SessionId.of("chat-deadline-verified");
        ManualTime stores = new ManualTime(Instant.now());
        try (Instance a = new Instance(dbA, tenant, "i-a", stores); Instance b = new Instance(dbB, tenant, "i-b", stores)) {
            connectedOnA(a, b, session, tenant);

            // bob's desk is on B: the verdicts go to the shared ledger there; A, where the deadline started, is not told
            b.handoff.commitments().verify(session, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "bob", stores.instant()));
            b.handoff.commitments().verify(session, "c-2", new Verification(Commitment.Status.REVOKED, null, "bob", stores.instant()));
            stores.advance(DEADLINE.multipliedBy(2));
            awaitCount("SELECT count(*) FROM handoff.commitment_deadlines WHERE tenant_id = '" + tenant + "' AND state = 'CANCELLED'", 1);
            awaitPolls(a, b);

            assertThat(overdue(a, session)).isEmpty();
            assertThat(overdue(b, session)).isEmpty();
        }
    }

    @Test
    void when_a_where_the_agent_connected_dies_b_fires_the_deadline() throws Exception {
        String tenant = "t-a-dies";
        SessionId session = SessionId.of("chat-deadline-a-dies");
        ManualTime stores = new ManualTime(Instant.now());
        try (Instance a = new Instance(dbA, tenant, "i-a", stores); Instance b = new Instance(dbB, tenant, "i-b", stores)) {
            Instant due = connectedOnA(a, b, session, tenant);

            a.stores.ownership().halt();   // as a crash would: a's polls stop with its other background work
            stores.advance(DEADLINE.multipliedBy(2));
            HandoffEvent.CommitmentOverdue onB = b.timeline.await(HandoffEvent.CommitmentOverdue.class, session);

            assertThat(onB.deadline()).isEqualTo(due);
            assertThat(onB.pending()).extracting(Commitment::id).containsExactly("c-1", "c-2");
            assertThat(overdue(a, session)).isEmpty();
            // marked FIRED right after the handler published the event
            awaitCount("SELECT count(*) FROM handoff.commitment_deadlines WHERE tenant_id = '" + tenant + "' AND state = 'FIRED'"
                    + " AND claimed_by = 'i-b'", 1);
        }
    }

    /** Waits until each instance completed two more deadline polls: a poll that finds nothing has no event. */
    private static void awaitPolls(Instance... instances) throws Exception {
        long[] from = new long[instances.length];
        for (int i = 0; i < instances.length; i++) {
            from[i] = instances[i].polls();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        for (int i = 0; i < instances.length; i++) {
            while (instances[i].polls() < from[i] + 2) {
                assertThat(System.nanoTime()).as("two more polls within %d s", WAIT_SECONDS).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private static long count(String sql) {
        return EmbeddedDatabase.count(dbA, sql);
    }

    /** Waits until {@code sql} counts {@code expected}: a database state has no event to wait on. */
    private static void awaitCount(String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (count(sql) != expected) {
            assertThat(System.nanoTime()).as("%s = %d within %d s", sql, expected, WAIT_SECONDS).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
