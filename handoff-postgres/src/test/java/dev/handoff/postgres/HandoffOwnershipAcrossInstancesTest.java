package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.testing.ManualTime;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Handoff instances on one PostgreSQL: when the instance that owns a running handoff dies (its heartbeats stop
 * and nothing is finished, as in a crash), the other takes the handoff over within the lease and gives the customer an
 * explicit outcome; an instance that only looks dead (clock skew, a long pause) is fenced out and never acts as a
 * second owner. Each test uses its own tenant on the one database.
 */
class HandoffOwnershipAcrossInstancesTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long WAIT_SECONDS = 30;

    private static HikariDataSource dbA;
    private static HikariDataSource dbB;

    @BeforeAll
    static void database() {
        dbA = EmbeddedDatabase.newDatabase("handoff_ownership", 4);
        dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 4);
    }

    @AfterAll
    static void closeDatabase() {
        dbB.close();
        dbA.close();
    }

    /** The events one instance's listeners saw, with a way to wait for one. */
    static final class Timeline implements HandoffListener {
        private final List<HandoffEvent> seen = new CopyOnWriteArrayList<>();
        private final List<Map.Entry<Predicate<HandoffEvent>, CompletableFuture<HandoffEvent>>> waits = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void onEvent(HandoffEvent event) {
            seen.add(event);
            for (var w : waits) {
                if (w.getKey().test(event)) {
                    w.getValue().complete(event);
                }
            }
        }

        synchronized CompletableFuture<HandoffEvent> first(Predicate<HandoffEvent> p) {
            CompletableFuture<HandoffEvent> f = new CompletableFuture<>();
            seen.stream().filter(p).findFirst().ifPresentOrElse(f::complete, () -> waits.add(Map.entry(p, f)));
            return f;
        }

        <T extends HandoffEvent> T await(Class<T> type, SessionId session) throws Exception {
            return type.cast(first(e -> type.isInstance(e) && e.sessionId().equals(session)).get(WAIT_SECONDS, TimeUnit.SECONDS));
        }

        HandoffEvent.PhaseChanged awaitPhase(SessionId session, HandoffPhase phase) throws Exception {
            return (HandoffEvent.PhaseChanged) first(e -> e instanceof HandoffEvent.PhaseChanged p && p.sessionId().equals(session)
                    && p.phase() == phase).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        List<HandoffEvent> of(SessionId session) {
            return seen.stream().filter(e -> e.sessionId().equals(session)).toList();
        }
    }

    /** One instance: its stores and its Handoff. */
    static final class Instance implements AutoCloseable {
        final PostgresHandoffStores stores;
        final Handoff handoff;
        final Timeline timeline = new Timeline();
        private final AtomicBoolean closed = new AtomicBoolean();

        Instance(DataSource db, String tenant, String id, Clock storeClock, Duration transferTimeout) {
            this.stores = PostgresHandoffStores.builder(db).tenant(tenant).instanceId(id).handoffLease(LEASE).pollInterval(POLL)
                    .clock(storeClock).build();
            this.handoff = stores.applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(transferTimeout).listener(timeline).build();
        }

        /** A customer {@code customerId} complains on {@code session} and asks for a person: the handoff's outcome. */
        CompletableFuture<HandoffOutcome> handOff(SessionId session, String customerId) {
            HandoffSession chat = handoff.open(session, Channel.CHAT, CustomerData.of(customerId, Map.of()));
            chat.customer("My invoice is wrong");
            return chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
        }

        /** As a crash would: heartbeats, polls and writes stop; nothing is finished or withdrawn. */
        void die() {
            stores.ownership().halt();
        }

        /** Closes the Handoff; its ownership writes everything it queued before this returns. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                handoff.close();
            }
        }
    }

    record Row(String owner, long fence, String phase, String outcome, String cause, int takenOver) {
    }

    /** The handoff as recorded, read once {@code decidedOn} is closed (so every write it queued is committed). */
    private static Row recorded(String tenant, String handoffId, Instance decidedOn) throws SQLException {
        decidedOn.close();
        try (Connection c = dbA.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT owner, fence, phase, outcome, outcome_cause, taken_over FROM " + PostgresSchema.DEFAULT_SCHEMA + ".handoffs WHERE tenant_id = ? AND handoff_id = ?")) {
            p.setString(1, tenant);
            p.setString(2, handoffId);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).as("handoff %s is recorded", handoffId).isTrue();
                return new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6));
            }
        }
    }

    @Test
    void an_offer_taken_by_an_agent_on_b_connects_after_the_owner_a_died() throws Exception {
        String tenant = "t-connect";
        SessionId session = SessionId.of("chat-owner-dies-1");
        try (Instance a = new Instance(dbA, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(60));
             Instance b = new Instance(dbB, tenant, "i-b", Clock.systemUTC(), Duration.ofSeconds(60))) {
            var bobsQueue = b.handoff.chatQueues().orElseThrow().queue("support");
            bobsQueue.signIn("bob");
            CompletableFuture<Optional<Offer>> bob = bobsQueue.next("bob", Duration.ofSeconds(WAIT_SECONDS));
            a.handOff(session, "cus-1");
            String handoffId = a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING).handoffId();
            Offer offer = bob.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            // a third instance, where the customer's reconnect might land, asks where the handoff stands
            PostgresHandoffOwnership onC = PostgresHandoffStores.builder(dbB).tenant(tenant).instanceId("i-c").build().ownership();
            awaitRow("SELECT 1 FROM handoff.handoffs WHERE tenant_id = ? AND handoff_id = ? AND phase = 'TRANSFERRING'", tenant, handoffId);
            assertThat(onC.placement(session)).get().satisfies(p -> {
                assertThat(p.running()).as("running: send the customer to its owner").isTrue();
                assertThat(p.owner()).isEqualTo("i-a");
                assertThat(p.handoffId()).isEqualTo(handoffId);
            });

            a.die();
            assertThat(offer.accept()).as("the claim is bob's whoever owns the handoff").isTrue();
            HandoffEvent.HandoffCompleted completed = b.timeline.await(HandoffEvent.HandoffCompleted.class, session);

            assertThat(completed.result().agentId()).isEqualTo("bob");
            assertThat(b.timeline.of(session).get(0)).as("b takes it over where a's last recorded phase left it")
                    .isInstanceOfSatisfying(HandoffEvent.PhaseChanged.class, p -> {
                        assertThat(p.handoffId()).isEqualTo(handoffId);
                        assertThat(p.phase()).isBetween(HandoffPhase.ROUTED, HandoffPhase.TRANSFERRING);
                    });
            assertThat(a.timeline.of(session)).noneMatch(e -> e instanceof HandoffEvent.HandoffCompleted || e instanceof HandoffEvent.ReturnedToBot);
            assertThat(recorded(tenant, handoffId, b))
                    .isEqualTo(new Row("i-b", 2, "VERIFIED", "CONNECTED", "CONNECTED", 1));
            assertThat(onC.placement(session)).as("after the takeover, c sees who finished it and how").contains(
                    new PostgresHandoffOwnership.Placement(handoffId, session, "i-b", HandoffPhase.VERIFIED, HandoffOutcome.Status.CONNECTED,
                            HandoffOutcome.Cause.CONNECTED, 1));
            assertThat(onC.placement(SessionId.of("never-handed-off"))).isEmpty();
        }
    }

    @Test
    void an_offer_stored_before_its_dead_owner_recorded_the_phase_is_taken_over_and_connects() throws Exception {
        String tenant = "t-lagging";
        SessionId session = SessionId.of("chat-owner-dies-lagging");
        try (Instance a = new Instance(dbA, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(60));
             Instance b = new Instance(dbB, tenant, "i-b", Clock.systemUTC(), Duration.ofSeconds(60))) {
            a.handoff.chatQueues().orElseThrow().queue("support").signIn("fay");   // signed in, never takes anything
            a.handOff(session, "cus-5");
            String handoffId = a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING).handoffId();
            awaitRow("SELECT 1 FROM " + PostgresSchema.DEFAULT_SCHEMA + ".handoffs WHERE tenant_id = ? AND handoff_id = ? AND phase = 'TRANSFERRING'",
                    tenant, handoffId);
            awaitRow("SELECT 1 FROM " + PostgresSchema.DEFAULT_SCHEMA + ".offers WHERE tenant_id = ? AND session_id = ? AND state = 'WAITING'",
                    tenant, session.value());

            // a dies after its offer was stored and before its writer committed the phases that led to it (the phase
            // writes and the offer go through different connections): the row still says PACKAGED
            a.die();
            EmbeddedDatabase.execute(dbA, "UPDATE " + PostgresSchema.DEFAULT_SCHEMA + ".handoffs SET phase = 'PACKAGED' WHERE tenant_id = '"
                    + tenant + "' AND handoff_id = '" + handoffId + "'");
            var gusQueue = b.handoff.chatQueues().orElseThrow().queue("support");
            gusQueue.signIn("gus");
            Offer offer = gusQueue.next("gus", Duration.ofSeconds(WAIT_SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            boolean accepted = offer.accept();
            HandoffEvent decided = b.timeline.first(e -> e.sessionId().equals(session)
                    && (e instanceof HandoffEvent.HandoffCompleted || e instanceof HandoffEvent.ReturnedToBot)).get(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(accepted).isTrue();
            assertThat(decided).as("the customer gets the agent who accepted, not the bot while gus thinks he has the chat")
                    .isInstanceOfSatisfying(HandoffEvent.HandoffCompleted.class, c -> assertThat(c.result().agentId()).isEqualTo("gus"));
            assertThat(b.timeline.of(session).get(0)).as("b takes it over as transferring: its offer was out")
                    .isInstanceOfSatisfying(HandoffEvent.PhaseChanged.class, p -> assertThat(p.phase()).isEqualTo(HandoffPhase.TRANSFERRING));
            Row recorded = recorded(tenant, handoffId, b);
            assertThat(recorded.outcome() + " " + recorded.cause() + " " + recorded.owner() + " " + recorded.fence())
                    .isEqualTo("CONNECTED CONNECTED i-b 2");
        }
    }

    @Test
    void an_owner_whose_database_threads_are_all_busy_keeps_renewing_and_connects_its_handoff() throws Exception {
        String tenant = "t-busy";
        SessionId session = SessionId.of("chat-owner-busy");
        CuttableDataSource busy = new CuttableDataSource(dbA);
        try (Instance a = new Instance(busy, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(60));
             Instance b = new Instance(dbB, tenant, "i-b", Clock.systemUTC(), Duration.ofSeconds(60))) {
            var hansQueue = b.handoff.chatQueues().orElseThrow().queue("support");
            hansQueue.signIn("hans");
            CompletableFuture<HandoffOutcome> onA = a.handOff(session, "cus-6");
            String handoffId = a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING).handoffId();
            awaitRow("SELECT 1 FROM " + PostgresSchema.DEFAULT_SCHEMA + ".handoffs WHERE tenant_id = ? AND handoff_id = ? AND phase = 'TRANSFERRING'",
                    tenant, handoffId);

            // when a's database threads are all held (polls waiting for connections, as behind a burst of preflights)
            // for longer than two leases
            busy.stallDatabaseThreads(true);
            Instant stalledAt = Instant.now();
            try {
                awaitRow("SELECT 1 FROM " + PostgresSchema.DEFAULT_SCHEMA + ".handoffs WHERE tenant_id = ? AND handoff_id = ? AND owner = 'i-a'"
                        + " AND lease_until > ?::timestamptz", tenant, handoffId, stalledAt.plus(LEASE.multipliedBy(2)).toString());
            } finally {
                busy.stallDatabaseThreads(false);
            }
            Offer offer = hansQueue.next("hans", Duration.ofSeconds(WAIT_SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(offer.accept()).isTrue();

            // then a kept the handoff (its heartbeat never waited behind that work) and connects it
            HandoffOutcome outcome = onA.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(outcome.cause()).isEqualTo(HandoffOutcome.Cause.CONNECTED);
            assertThat(outcome.connected()).get().extracting(r -> r.agentId()).isEqualTo("hans");
            assertThat(b.timeline.of(session)).as("b never took it over").isEmpty();
            Row recorded = recorded(tenant, handoffId, a);
            assertThat(recorded.outcome() + " " + recorded.owner() + " " + recorded.fence() + " " + recorded.takenOver())
                    .isEqualTo("CONNECTED i-a 1 0");
        }
    }

    @Test
    void a_handoff_nobody_takes_after_its_owner_died_returns_to_the_bot_on_the_survivor_with_owner_lost() throws Exception {
        String tenant = "t-return";
        SessionId session = SessionId.of("chat-owner-dies-2");
        try (Instance a = new Instance(dbA, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(6));
             Instance b = new Instance(dbB, tenant, "i-b", Clock.systemUTC(), Duration.ofSeconds(6))) {
            b.handoff.chatQueues().orElseThrow().queue("support").signIn("carol");   // signed in, never takes anything
            CompletableFuture<HandoffOutcome> onA = a.handOff(session, "cus-2");
            String handoffId = a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING).handoffId();

            a.die();
            HandoffEvent.ReturnedToBot returned = b.timeline.await(HandoffEvent.ReturnedToBot.class, session);
            Row recorded = recorded(tenant, handoffId, b);

            assertThat(returned.reason()).startsWith("OWNER_LOST").contains("i-a");
            assertThat(returned.summaryForBot()).isNotBlank();
            assertThat(b.handoff.session(session)).get().extracting(HandoffSession::owner).isEqualTo(HandoffSession.Owner.BOT);
            assertThat(recorded).isEqualTo(new Row("i-b", 2, "RETURNED_TO_BOT", "RETURNED_TO_BOT", "OWNER_LOST", 1));
            assertThat(onA).as("the dead instance's bot never heard anything").isNotDone();
            assertThat(a.stores.dataRetention().eraseCustomer("cus-2", "dpo-1").removed())
                    .as("erasing the customer removes the handoff's record too").containsEntry("handoffs", 1L);
        }
    }

    @Test
    void an_owner_that_only_looked_dead_is_fenced_out_and_stops_without_recording_an_outcome() throws Exception {
        String tenant = "t-fence";
        SessionId session = SessionId.of("chat-owner-skewed");
        ManualTime ahead = new ManualTime(Instant.now());   // b's clock runs an hour ahead: a's lease looks expired to b
        try (Instance a = new Instance(dbA, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(60))) {
            a.handoff.chatQueues().orElseThrow().queue("support").signIn("dave");   // signed in, never takes anything
            CompletableFuture<HandoffOutcome> onA = a.handOff(session, "cus-3");
            String handoffId = a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING).handoffId();
            ahead.advance(Duration.ofHours(1));

            try (Instance b = new Instance(dbB, tenant, "i-b", ahead, Duration.ofSeconds(60))) {
                HandoffOutcome lostOnA = onA.get(WAIT_SECONDS, TimeUnit.SECONDS);
                HandoffEvent.ReturnedToBot decidedOnB = b.timeline.await(HandoffEvent.ReturnedToBot.class, session);
                Row recorded = recorded(tenant, handoffId, b);

                assertThat(lostOnA.cause()).isEqualTo(HandoffOutcome.Cause.OWNER_LOST);
                assertThat(a.stores.ownership().owned()).doesNotContain(handoffId);
                assertThat(decidedOnB.reason()).startsWith("OWNER_LOST");
                assertThat(recorded).as("one owner, one outcome: b's").isEqualTo(
                        new Row("i-b", 2, "RETURNED_TO_BOT", "RETURNED_TO_BOT", "OWNER_LOST", 1));
            }
        }
    }

    @Test
    void an_owner_cut_off_from_the_database_stops_driving_before_another_instance_takes_over() throws Exception {
        String tenant = "t-cut";
        SessionId session = SessionId.of("chat-owner-cut-off");
        CuttableDataSource network = new CuttableDataSource(dbA);
        // the offer waits 10 s: a stops driving within a lease (3 s) of the cut; b decides once the wait is over
        try (Instance a = new Instance(network, tenant, "i-a", Clock.systemUTC(), Duration.ofSeconds(10));
             Instance b = new Instance(dbB, tenant, "i-b", Clock.systemUTC(), Duration.ofSeconds(10))) {
            b.handoff.chatQueues().orElseThrow().queue("support").signIn("erin");   // signed in, never takes anything
            CompletableFuture<HandoffOutcome> onA = a.handOff(session, "cus-4");
            String handoffId = a.timeline.awaitPhase(session, HandoffPhase.TRANSFERRING).handoffId();
            // cut only once the handoff and its offer are in the database, so b has something to take over
            awaitRow("SELECT 1 FROM " + PostgresSchema.DEFAULT_SCHEMA + ".handoffs WHERE tenant_id = ? AND handoff_id = ? AND owner = 'i-a'",
                    tenant, handoffId);
            awaitRow("SELECT 1 FROM " + PostgresSchema.DEFAULT_SCHEMA + ".offers WHERE tenant_id = ? AND session_id = ? AND state = 'WAITING'",
                    tenant, session.value());
            CompletableFuture<Instant> stoppedOnA = onA.thenApply(o -> Instant.now());
            network.cut(true);   // a keeps running; only its database is out of reach

            HandoffOutcome lostOnA = onA.get(WAIT_SECONDS, TimeUnit.SECONDS);
            HandoffEvent.ReturnedToBot decidedOnB = b.timeline.await(HandoffEvent.ReturnedToBot.class, session);
            HandoffEvent firstOnB = b.timeline.of(session).get(0);
            network.cut(false);
            Row recorded = recorded(tenant, handoffId, b);

            assertThat(lostOnA.cause()).as("the customer on a gets an outcome, not silence").isEqualTo(HandoffOutcome.Cause.OWNER_LOST);
            assertThat(a.stores.ownership().owned()).doesNotContain(handoffId);
            assertThat(stoppedOnA.get()).as("a stopped driving the handoff before b started").isBefore(firstOnB.at());
            assertThat(decidedOnB.reason()).startsWith("OWNER_LOST").contains("i-a");
            assertThat(recorded).as("one owner, one outcome: b's").isEqualTo(
                    new Row("i-b", 2, "RETURNED_TO_BOT", "RETURNED_TO_BOT", "OWNER_LOST", 1));
        }
    }

    private static void awaitRow(String query, String... params) throws Exception {
        EmbeddedDatabase.awaitRow(dbA, Duration.ofSeconds(WAIT_SECONDS), query, params);
    }
}
