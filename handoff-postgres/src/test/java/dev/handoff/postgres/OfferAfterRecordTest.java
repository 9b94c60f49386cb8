package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.chat.Offer;
import dev.handoff.postgres.HandoffOwnershipAcrossInstancesTest.Instance;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An offer becomes visible to agents only once its handoff is recorded in {@code handoffs}, the table a takeover
 * reads. Otherwise an owner killed between the two would leave an offer that an agent on another instance accepts
 * while no instance drives the handoff: the agent waits for a customer nobody connects.
 *
 * <p>The owner's record is held back by a test transaction that locks {@code handoffs} against writes (as a slow
 * database or a long write backlog would), while the offers table stays writable.
 */
class OfferAfterRecordTest {

    private static final long WAIT_SECONDS = 30;
    private static final String HANDOFFS = PostgresSchema.DEFAULT_SCHEMA + ".handoffs";
    private static final String OFFERS = PostgresSchema.DEFAULT_SCHEMA + ".offers";

    private static HikariDataSource dbA;
    private static HikariDataSource dbB;
    /** The test's own connections, so the instances' pools stay whole. */
    private static HikariDataSource admin;

    @BeforeAll
    static void database() {
        dbA = EmbeddedDatabase.newDatabase("handoff_offer_after_record", 8);
        dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 8);
        admin = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 2);
    }

    @AfterAll
    static void closeDatabase() {
        admin.close();
        dbB.close();
        dbA.close();
    }

    /** A transaction holding {@code handoffs} against every write until closed. */
    private static Connection lockHandoffs() throws Exception {
        Connection c = admin.getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE " + HANDOFFS + " IN SHARE MODE");
        }
        return c;
    }

    private static void release(Connection lock) throws Exception {
        lock.rollback();
        lock.close();
    }

    /** Holds the record back about a second: long enough for an offer that does not wait for it to reach the agent. */
    private static void holdBack(CompletableFuture<Optional<Offer>> agent) throws Exception {
        try {
            agent.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException expected) {
            // the offer waits for the record
        }
    }

    @Test
    void no_agent_is_offered_the_customer_before_the_handoff_is_recorded_and_it_then_connects() throws Exception {
        String tenant = "t-order";
        SessionId session = SessionId.of("chat-offer-after-record");
        try (Instance a = new Instance(dbA, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(60));
             Instance b = new Instance(dbB, tenant, "i-b", Clock.systemUTC(), Duration.ofSeconds(60))) {
            var ivysQueue = b.handoff.chatQueues().orElseThrow().queue("support");
            ivysQueue.signIn("ivy");
            AtomicBoolean recordReleased = new AtomicBoolean();
            CompletableFuture<Optional<Offer>> ivy = ivysQueue.next("ivy", Duration.ofSeconds(WAIT_SECONDS));
            CompletableFuture<Boolean> offeredAfterRelease = ivy.thenApply(offer -> recordReleased.get());   // when it arrives

            CompletableFuture<HandoffOutcome> outcome;
            Connection lock = lockHandoffs();
            try {
                outcome = a.handOff(session, "cus-1");
                a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING);
                holdBack(ivy);
            } finally {
                recordReleased.set(true);
                release(lock);
            }
            Offer offer = ivy.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();

            assertThat(offeredAfterRelease.get()).as("ivy is offered the customer only once the handoff is recorded").isTrue();
            assertThat(offer.accept()).isTrue();
            HandoffOutcome connected = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(connected.cause()).isEqualTo(HandoffOutcome.Cause.CONNECTED);
            assertThat(connected.connected()).get().extracting(r -> r.agentId()).isEqualTo("ivy");
        }
    }

    @Test
    void an_owner_killed_before_its_handoff_was_recorded_leaves_no_offer_for_an_agent_to_take() throws Exception {
        String tenant = "t-killed";
        SessionId session = SessionId.of("chat-killed-before-record");
        try (Instance a = new Instance(dbA, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(60));
             Instance b = new Instance(dbB, tenant, "i-b", Clock.systemUTC(), Duration.ofSeconds(60))) {
            var jansQueue = b.handoff.chatQueues().orElseThrow().queue("support");
            jansQueue.signIn("jan");
            CompletableFuture<Optional<Offer>> jan = jansQueue.next("jan", Duration.ofSeconds(WAIT_SECONDS));

            Connection lock = lockHandoffs();
            try {
                a.handOff(session, "cus-2");
                a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING);
                holdBack(jan);
                // killed: its process and with it its connections, so the record it was writing rolls back
                a.die();
                EmbeddedDatabase.execute(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE '" + OwnershipSql.BURST + HANDOFFS + "%'");
            } finally {
                release(lock);
            }

            assertThat(EmbeddedDatabase.count(admin, "SELECT count(*) FROM " + OFFERS + " WHERE tenant_id = '" + tenant + "'"))
                    .as("no offer of a handoff that no instance can take over").isZero();
            assertThat(jan).as("jan was never offered a customer nobody drives").isNotDone();
            assertThat(b.stores.ownership().placement(session)).as("the handoff was never recorded").isEmpty();
        }
    }
}
