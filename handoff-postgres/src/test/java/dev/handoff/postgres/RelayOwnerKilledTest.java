package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent relay across a real crash: the instance that owns a chat's handoff runs in its own JVM
 * ({@link HandoffInstanceChild}) and is killed with {@code kill -9} ({@link Process#destroyForcibly()}: nothing finished,
 * nothing flushed) while bob, an agent on instance b of this JVM, holds the chat's offer and watches it through the
 * relay. Instance c (this JVM too) takes the handoff over once the dead owner's lease ran out; b's relay listener keeps
 * receiving the handoff's events, now written by c, in the feed's order and each once, until the feed ends explicitly
 * with the customer's return to the bot. b is built with a 10-minute lease, so it polls for takeovers every 5 minutes
 * and c is the one that takes over (an instance that takes over a handoff it watches gets its events as its own).
 */
class RelayOwnerKilledTest {

    private static final Duration OWNER_LEASE = Duration.ofSeconds(4);
    private static final Duration WAIT = Duration.ofMinutes(3);   // a JVM starting on 2 cores shared with another build
    private static final String TENANT = "relay-killed";

    private static HikariDataSource db;
    private static String jdbcUrl;

    @TempDir
    Path tmp;

    private final List<AutoCloseable> started = new ArrayList<>();
    private final BlockingQueue<HandoffEvent> relayedToB = new LinkedBlockingQueue<>();
    private final List<HandoffEvent> relayedLog = new CopyOnWriteArrayList<>();
    private final BlockingQueue<HandoffEvent> onC = new LinkedBlockingQueue<>();
    private Handoff b;
    private Handoff c;

    @BeforeAll
    static void database() {
        db = EmbeddedDatabase.newDatabase("relay_owner_killed", 2);
        PostgresSchema.migrate(db, PostgresSchema.DEFAULT_SCHEMA);
        jdbcUrl = EmbeddedDatabase.server().getJdbcUrl("postgres", "relay_owner_killed");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    /** Forks the owner a, builds b (the agent's instance) and c (the survivor) here, and waits until a is built. */
    private ChildJvm instances(String tenant, Duration offerWait) throws Exception {
        ChildJvm a = ChildJvm.start(tmp, "i-a", HandoffInstanceChild.class, jdbcUrl, tenant, "i-a",
                String.valueOf(OWNER_LEASE.toMillis()), String.valueOf(offerWait.toMillis()));
        started.add(a);
        b = instance(tenant, "i-b", Duration.ofMinutes(10), e -> { });
        b.agentRelay().addListener(e -> {
            relayedLog.add(e);
            relayedToB.add(e);
        });
        c = instance(tenant, "i-c", OWNER_LEASE, onC::add);
        a.awaitLine(0, "ready", l -> l.startsWith("ready "), WAIT);
        return a;
    }

    private Handoff instance(String tenant, String id, Duration lease, dev.handoff.api.event.HandoffListener listener) {
        HikariDataSource pool = EmbeddedDatabase.pool(jdbcUrl, 8, OutboxOnPostgresTest.WAIT_FOR_CONNECTION);
        started.add(pool);
        Handoff h = PostgresHandoffStores.builder(pool).tenant(tenant).instanceId(id).schemaMode(PostgresSchema.Mode.VALIDATE)
                .handoffLease(lease).pollInterval(Duration.ofMillis(200)).agentActionTimeout(Duration.ofMinutes(2))
                .build().applyTo(Handoff.builder()).signingKeys(HandoffInstanceChild.KEYS)
                .transferTimeout(Duration.ofMinutes(3)).maxWait(Duration.ofMinutes(4)).listener(listener).build();
        started.add(h);
        return h;
    }

    /** bob, signed in on b, takes the chat a offers, watches it through the relay and reads it (applied by a). */
    private Watched bobWatches(ChildJvm a, String session) throws Exception {
        AgentQueue support = b.chatQueues().orElseThrow().queue(HandoffInstanceChild.QUEUE);
        support.signIn("bob");
        var next = support.next("bob", WAIT);
        a.send("handoff " + session);
        Offer offer = next.get(WAIT.toSeconds(), TimeUnit.SECONDS).orElseThrow();
        AgentActions actions = b.agentActions(offer.contextId()).orElseThrow();
        assertThat(actions.confirmRead("bob")).as("applied by a, which runs the handoff").isTrue();
        assertThat(next(relayedToB, HandoffEvent.ContextRead.class).agentId()).isEqualTo("bob");
        return new Watched(offer, actions);
    }

    private record Watched(Offer offer, AgentActions actions) {
    }

    @Test
    void after_the_owner_is_killed_the_survivor_keeps_the_agents_feed_going_in_order_until_the_hand_back_ends_it() throws Exception {
        ChildJvm a = instances(TENANT, Duration.ofMinutes(3));
        SessionId chat = SessionId.of("relay-kill-1");
        Watched bob = bobWatches(a, chat.value());

        a.kill();   // mid-handoff: its offer is out, bob holds it

        assertThat(next(onC, HandoffEvent.PhaseChanged.class).phase()).as("c takes the handoff over").isEqualTo(HandoffPhase.TRANSFERRING);
        assertThat(next(relayedToB, HandoffEvent.PhaseChanged.class).phase()).as("and relays it to b").isEqualTo(HandoffPhase.TRANSFERRING);
        assertThat(bob.offer().accept()).isTrue();
        assertThat(next(onC, HandoffEvent.HandoffCompleted.class).result().agentId()).as("the customer's outcome, on c").isEqualTo("bob");
        assertThat(bob.actions().send("bob", "Hi, I'm Bob. I have your invoice open.").text()).isEqualTo("Hi, I'm Bob. I have your invoice open.");
        assertThat(next(onC, HandoffEvent.AgentMessage.class).turn().text()).as("c's bot host delivers it").startsWith("Hi, I'm Bob");
        HandoffSession customer = c.session(chat).orElseThrow();
        customer.customer("Thanks, it is the March one.");
        bob.actions().handBack("bob", "Invoice corrected");
        HandoffEvent.ReturnedToBot back = next(relayedToB, HandoffEvent.ReturnedToBot.class);

        assertThat(back.sessionId()).isEqualTo(chat);
        List<String> feed = feed(TENANT, chat);
        assertRelayedOnceInOrder(feed);
        assertThat(feed).containsSubsequence("i-a READ bob", "i-c PHASE TRANSFERRING", "i-c COMPLETED bob",
                "i-c TURN AGENT Hi, I'm Bob. I have your invoice open.", "i-c TURN CUSTOMER Thanks, it is the March one.",
                "i-c TURN SYSTEM Handed back by bob: Invoice corrected", "i-c RETURNED");
        assertThat(feed.get(feed.size() - 1)).as("the feed ends with the return to the bot").isEqualTo("i-c RETURNED");
        assertThat(row(TENANT, chat)).isEqualTo("i-c CONNECTED 1");
    }

    @Test
    void when_nobody_takes_the_chat_after_the_kill_the_survivor_returns_it_to_the_bot_and_the_agents_feed_ends_with_the_reason() throws Exception {
        String tenant = TENANT + "-2";
        ChildJvm a = instances(tenant, Duration.ofSeconds(25));
        SessionId chat = SessionId.of("relay-kill-2");
        Watched bob = bobWatches(a, chat.value());

        a.kill();
        bob.offer().decline();   // nobody else is signed in: the offer expires with the customer's wait

        HandoffEvent.ReturnedToBot back = next(relayedToB, HandoffEvent.ReturnedToBot.class);

        assertThat(back.reason()).as("the reason names the lost owner").contains("OWNER_LOST", "i-a");
        List<String> feed = feed(tenant, chat);
        assertRelayedOnceInOrder(feed);
        assertThat(feed).containsSubsequence("i-a READ bob", "i-c PHASE TRANSFERRING", "i-c RETURNED");
        assertThat(feed.get(feed.size() - 1)).isEqualTo("i-c RETURNED");
        assertThat(next(onC, HandoffEvent.ReturnedToBot.class).reason()).contains("i-a");
        assertThat(row(tenant, chat)).isEqualTo("i-c RETURNED_TO_BOT 1");
    }

    /**
     * b's relay listener got exactly the feed's rows (the events carry no owner, the rows do), in the feed's order and
     * each once; the dead owner's rows all come before the survivor's.
     */
    private void assertRelayedOnceInOrder(List<String> feed) {
        assertThat(relayedLog.stream().map(RelayOwnerKilledTest::detail).toList()).as("relayed to b, against the feed " + feed)
                .containsExactlyElementsOf(feed.stream().map(r -> r.substring(r.indexOf(' ') + 1)).toList());
        List<String> owners = feed.stream().map(r -> r.substring(0, r.indexOf(' '))).distinct().toList();
        assertThat(owners).as("a's rows, then c's from its takeover on").containsExactly("i-a", "i-c");
        assertThat(feed.subList(feed.indexOf(feed.stream().filter(r -> r.startsWith("i-c")).findFirst().orElseThrow()), feed.size()))
                .allMatch(r -> r.startsWith("i-c "));
    }

    private static String detail(HandoffEvent e) {
        if (e instanceof HandoffEvent.PhaseChanged p) {
            return "PHASE " + p.phase();
        } else if (e instanceof HandoffEvent.ContextRead r) {
            return "READ " + r.agentId();
        } else if (e instanceof HandoffEvent.HandoffCompleted x) {
            return "COMPLETED " + x.result().agentId();
        } else if (e instanceof HandoffEvent.TurnRecorded t) {
            return "TURN " + t.turn().speaker() + " " + t.turn().text();
        } else if (e instanceof HandoffEvent.ReturnedToBot r) {
            return "RETURNED";
        }
        return e.getClass().getSimpleName();
    }

    private static <T extends HandoffEvent> T next(BlockingQueue<HandoffEvent> events, Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (HandoffEvent e; (e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + WAIT);
    }

    /** The session's agent_feed rows in order, as {@code <owner> <KIND> <detail>}. */
    private static List<String> feed(String tenant, SessionId session) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection x = db.getConnection(); PreparedStatement p = x.prepareStatement("SELECT owner, kind, body FROM handoff.agent_feed"
                + " WHERE tenant_id = ? AND session_id = ? ORDER BY seq")) {
            p.setString(1, tenant);
            p.setString(2, session.value());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + detail(RelayEvents.read(rs.getString(2), rs.getString(3))));
                }
            }
        }
        return out;
    }

    /** The handoff's row once its outcome is recorded (the survivor's writer records it after the event: polled). */
    private static String row(String tenant, SessionId session) throws Exception {
        EmbeddedDatabase.awaitRow(db, WAIT, "SELECT 1 FROM handoff.handoffs WHERE tenant_id = ? AND session_id = ? AND outcome IS NOT NULL",
                tenant, session.value());
        try (Connection x = db.getConnection(); PreparedStatement p = x.prepareStatement("SELECT owner || ' ' || outcome || ' ' || taken_over"
                + " FROM handoff.handoffs WHERE tenant_id = ? AND session_id = ?")) {
            p.setString(1, tenant);
            p.setString(2, session.value());
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
