package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash scenarios for running handoffs, with real processes: two or three instances of a chat application,
 * each in its own JVM ({@link HandoffInstanceChild}), on one PostgreSQL. A conversation handed off on one instance is
 * taken by an agent signed in on another; when the instance that owns a running handoff is killed with {@code kill -9}
 * (nothing finished, nothing flushed), a survivor takes it over once the lease ran out and gives it exactly one outcome:
 * {@code CONNECTED} when the agent accepts, back to the bot with {@code OWNER_LOST} when nobody does. The {@code handoffs}
 * row then holds that one outcome, written by the one owner whose fence it holds. Each test uses its own tenant.
 */
class OwnerKilledTest {

    /** Short, so a takeover comes soon; long enough that a loaded machine never lets a live owner's lease run out. */
    private static final Duration LEASE = Duration.ofSeconds(4);
    /** How long an offer waits for an agent when one is meant to accept it: never reached. */
    private static final Duration OFFER_WAIT_LONG = Duration.ofMinutes(3);
    /** How long an offer waits when nobody takes it: past the kill and the takeover, then the offer expires. */
    private static final Duration OFFER_WAIT_SHORT = Duration.ofSeconds(15);
    private static final Duration WAIT = Duration.ofMinutes(3);   // JVMs starting on 2 cores shared with another build
    private static final String H = PostgresSchema.DEFAULT_SCHEMA + ".handoffs";
    private static final String O = PostgresSchema.DEFAULT_SCHEMA + ".offers";

    private static HikariDataSource db;
    private static String jdbcUrl;

    @TempDir
    Path tmp;

    private final List<ChildJvm> children = new ArrayList<>();

    @BeforeAll
    static void database() {
        db = EmbeddedDatabase.newDatabase("owner_killed", 2);
        PostgresSchema.migrate(db, PostgresSchema.DEFAULT_SCHEMA);
        jdbcUrl = EmbeddedDatabase.server().getJdbcUrl("postgres", "owner_killed");
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (ChildJvm child : children) {
            child.close();
        }
    }

    /** Starts instance {@code id} in its own JVM and waits until it is built. */
    private ChildJvm instance(String tenant, String id, Duration offerWait) {
        ChildJvm child = ChildJvm.start(tmp, id, HandoffInstanceChild.class, jdbcUrl, tenant, id,
                String.valueOf(LEASE.toMillis()), String.valueOf(offerWait.toMillis()));
        children.add(child);
        return child;
    }

    private static void ready(ChildJvm... instances) throws InterruptedException {
        for (ChildJvm child : instances) {
            child.awaitLine(0, "ready", l -> l.startsWith("ready "), WAIT);
        }
    }

    /** Sends a command and waits for its answer line; returns the answer. */
    private static String command(ChildJvm child, String command, String answerPrefix) throws Exception {
        int from = child.lines().size();
        child.send(command);
        return child.line(child.awaitLine(from, answerPrefix, l -> l.startsWith(answerPrefix), WAIT));
    }

    /** Stops a survivor (its Handoff closed, so every write it queued is committed) and returns everything it printed. */
    private static List<String> stop(ChildJvm child) throws Exception {
        child.send("stop");
        assertThat(child.awaitExit(WAIT)).as("%s exit code (stderr: %s)", child.name(), child.stderrTail()).isZero();
        assertThat(child.lines()).as(child.name()).endsWith("stopped");
        return child.lines();
    }

    /** The events an instance's listener saw for a session, as {@code <type> <detail>}. */
    private static List<String> events(List<String> lines, String session) {
        String prefix = "event " + session + " ";
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    private static List<String> outcomeEvents(List<String> lines, String session) {
        return events(lines, session).stream().filter(e -> e.startsWith("HandoffCompleted") || e.startsWith("ReturnedToBot")).toList();
    }

    private static String handoffId(ChildJvm owner, String session) throws InterruptedException {
        String line = owner.line(owner.awaitLine(0, "the TRANSFERRING phase of " + session,
                l -> l.startsWith("event " + session + " PhaseChanged TRANSFERRING "), WAIT));
        return line.substring(line.lastIndexOf(' ') + 1);
    }

    record Row(String owner, long fence, String outcome, String cause, int takenOver) {
    }

    private static Row recorded(String tenant, String handoffId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT owner, fence, outcome, outcome_cause, taken_over FROM " + H + " WHERE tenant_id = ? AND handoff_id = ?")) {
            p.setString(1, tenant);
            p.setString(2, handoffId);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).as("handoff %s is recorded", handoffId).isTrue();
                Row row = new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5));
                assertThat(rs.next()).isFalse();
                return row;
            }
        }
    }

    private static String offer(String tenant, String session) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT state, claimed_by, owner FROM " + O + " WHERE tenant_id = ? AND session_id = ?")) {
            p.setString(1, tenant);
            p.setString(2, session);
            List<String> offers = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    offers.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
            assertThat(offers).as("offers of %s", session).hasSize(1);
            return offers.get(0);
        }
    }

    /** Waits until the owner has recorded the handoff in phase TRANSFERRING: what a survivor takes over. */
    private static void awaitRecorded(String tenant, String handoffId, String owner) throws InterruptedException {
        EmbeddedDatabase.awaitRow(db, WAIT, "SELECT 1 FROM " + H + " WHERE tenant_id = ? AND handoff_id = ? AND owner = ?"
                + " AND phase = 'TRANSFERRING' AND outcome IS NULL", tenant, handoffId, owner);
    }

    @Test
    void a_chat_handed_off_by_the_bot_on_a_is_taken_by_an_agent_signed_in_on_b() throws Exception {
        String tenant = "t-across";
        String session = "chat-across";
        ChildJvm a = instance(tenant, "i-a", OFFER_WAIT_LONG);
        ChildJvm b = instance(tenant, "i-b", OFFER_WAIT_LONG);
        ready(a, b);
        command(b, "signin bob", "signed-in bob");
        b.send("take bob");

        // when the bot on a hands off and bob, on b, accepts the offer
        a.send("handoff " + session);
        assertThat(b.line(b.awaitLine(0, "bob's offer", l -> l.startsWith("offered bob "), WAIT))).isEqualTo("offered bob " + session);
        assertThat(command(b, "accept bob", "accepted bob")).isEqualTo("accepted bob " + session + " true");

        // then a's bot hears CONNECTED with bob, once
        String outcome = a.line(a.awaitLine(0, "the outcome", l -> l.startsWith("outcome " + session), WAIT));
        assertThat(outcome).isEqualTo("outcome " + session + " CONNECTED CONNECTED bob");
        String handoffId = handoffId(a, session);
        List<String> onA = stop(a);
        List<String> onB = stop(b);
        assertThat(outcomeEvents(onA, session)).as("a's listener").containsExactly("HandoffCompleted bob");
        assertThat(events(onB, session)).as("b only lent its agent").isEmpty();
        assertThat(recorded(tenant, handoffId)).as("one owner, one outcome, no takeover").isEqualTo(new Row("i-a", 1, "CONNECTED", "CONNECTED", 0));
        assertThat(offer(tenant, session)).isEqualTo("ACCEPTED bob i-a");
    }

    @Test
    void the_owner_killed_after_an_agent_on_b_claimed_the_offer_is_taken_over_and_connected_when_the_agent_accepts() throws Exception {
        String tenant = "t-claimed";
        String session = "chat-claimed";
        ChildJvm a = instance(tenant, "i-a", OFFER_WAIT_LONG);
        ChildJvm b = instance(tenant, "i-b", OFFER_WAIT_LONG);
        ChildJvm c = instance(tenant, "i-c", OFFER_WAIT_LONG);
        ready(a, b, c);
        command(b, "signin bob", "signed-in bob");
        b.send("take bob");
        a.send("handoff " + session);
        b.awaitLine(0, "bob's offer", ("offered bob " + session)::equals, WAIT);
        String handoffId = handoffId(a, session);
        awaitRecorded(tenant, handoffId, "i-a");

        // when a is killed with bob's claim open, and bob then accepts
        a.kill();
        assertThat(command(b, "accept bob", "accepted bob")).as("the claim is bob's whoever owns the handoff")
                .isEqualTo("accepted bob " + session + " true");

        // then b or c takes the handoff over and ends it CONNECTED with bob, once
        ChildJvm.Found decided = awaitOutcomeOnEither(session, b, c);
        ChildJvm survivor = decided.child();
        ChildJvm other = survivor == b ? c : b;
        assertThat(decided.line()).isEqualTo("event " + session + " HandoffCompleted bob");
        List<String> onSurvivor = stop(survivor);
        List<String> onOther = stop(other);
        assertThat(events(onSurvivor, session)).as("%s's listener", survivor.name())
                .startsWith("PhaseChanged TRANSFERRING " + handoffId).containsOnlyOnce("HandoffCompleted bob");
        assertThat(outcomeEvents(onSurvivor, session)).as("%s's outcome events", survivor.name()).containsExactly("HandoffCompleted bob");
        assertThat(events(onOther, session)).as("%s did not drive it", other.name()).isEmpty();
        assertThat(a.lines()).as("a died before deciding").noneMatch(l -> l.startsWith("outcome ") || l.startsWith("event " + session + " HandoffCompleted"));
        assertThat(recorded(tenant, handoffId)).as("one takeover, one owner (fence 2), one outcome: the survivor's")
                .isEqualTo(new Row(survivor.name(), 2, "CONNECTED", "CONNECTED", 1));
        assertThat(offer(tenant, session)).isEqualTo("ACCEPTED bob " + survivor.name());
    }

    @Test
    void the_owner_killed_while_its_offer_waits_is_taken_over_and_the_offer_connects_to_an_agent_who_signs_in_later() throws Exception {
        String tenant = "t-open";
        String session = "chat-open";
        ChildJvm a = instance(tenant, "i-a", OFFER_WAIT_LONG);
        ChildJvm b = instance(tenant, "i-b", OFFER_WAIT_LONG);
        ready(a, b);
        command(a, "signin ann", "signed-in ann");   // on a, never takes anything: the preflight needs an agent
        a.send("handoff " + session);
        String handoffId = handoffId(a, session);
        awaitRecorded(tenant, handoffId, "i-a");
        EmbeddedDatabase.awaitRow(db, WAIT, "SELECT 1 FROM " + O + " WHERE tenant_id = ? AND session_id = ? AND state = 'WAITING'",
                tenant, session);

        // when a is killed with its offer waiting, b takes the handoff over, and then dave signs in on b and accepts
        a.kill();
        b.awaitLine(0, "the takeover", ("event " + session + " PhaseChanged TRANSFERRING " + handoffId)::equals, WAIT);
        command(b, "signin dave", "signed-in dave");
        b.send("take dave");
        b.awaitLine(0, "dave's offer", ("offered dave " + session)::equals, WAIT);
        assertThat(command(b, "accept dave", "accepted dave")).isEqualTo("accepted dave " + session + " true");

        // then b ends it CONNECTED with dave, once
        b.awaitLine(0, "the outcome", l -> l.startsWith("event " + session + " HandoffCompleted"), WAIT);
        List<String> onB = stop(b);
        assertThat(events(onB, session)).as("b's listener").startsWith("PhaseChanged TRANSFERRING " + handoffId);
        assertThat(outcomeEvents(onB, session)).as("b's outcome events").containsExactly("HandoffCompleted dave");
        assertThat(a.lines()).as("a died before deciding").noneMatch(l -> l.startsWith("outcome ") || l.contains(" HandoffCompleted"));
        assertThat(recorded(tenant, handoffId)).isEqualTo(new Row("i-b", 2, "CONNECTED", "CONNECTED", 1));
        assertThat(offer(tenant, session)).isEqualTo("ACCEPTED dave i-b");
    }

    @Test
    void the_owner_killed_with_nobody_taking_the_offer_returns_the_customer_to_the_bot_on_a_survivor_with_owner_lost() throws Exception {
        String tenant = "t-returned";
        String session = "chat-returned";
        ChildJvm a = instance(tenant, "i-a", OFFER_WAIT_SHORT);
        ChildJvm b = instance(tenant, "i-b", OFFER_WAIT_SHORT);
        ChildJvm c = instance(tenant, "i-c", OFFER_WAIT_SHORT);
        ready(a, b, c);
        command(b, "signin carol", "signed-in carol");   // signed in, never takes anything
        a.send("handoff " + session);
        String handoffId = handoffId(a, session);
        awaitRecorded(tenant, handoffId, "i-a");
        EmbeddedDatabase.awaitRow(db, WAIT, "SELECT 1 FROM " + O + " WHERE tenant_id = ? AND session_id = ? AND state = 'WAITING'",
                tenant, session);

        // when a is killed and nobody takes the offer
        a.kill();

        // then b or c returns the customer to the bot, once, saying the owner was lost and which one
        ChildJvm.Found decided = awaitOutcomeOnEither(session, b, c);
        ChildJvm survivor = decided.child();
        ChildJvm other = survivor == b ? c : b;
        assertThat(decided.line()).startsWith("event " + session + " ReturnedToBot OWNER_LOST").contains("i-a");
        List<String> onSurvivor = stop(survivor);
        List<String> onOther = stop(other);
        assertThat(events(onSurvivor, session)).as("%s's listener", survivor.name()).startsWith("PhaseChanged TRANSFERRING " + handoffId);
        assertThat(outcomeEvents(onSurvivor, session)).as("%s's outcome events", survivor.name()).hasSize(1);
        assertThat(events(onOther, session)).as("%s did not drive it", other.name()).isEmpty();
        assertThat(a.lines()).as("a died before deciding").noneMatch(l -> l.startsWith("outcome ") || l.contains(" ReturnedToBot "));
        assertThat(recorded(tenant, handoffId)).as("one takeover, one owner (fence 2), one outcome: the survivor's")
                .isEqualTo(new Row(survivor.name(), 2, "RETURNED_TO_BOT", "OWNER_LOST", 1));
        assertThat(offer(tenant, session)).isEqualTo("EXPIRED null " + survivor.name());
    }

    /** The first outcome event for {@code session} on either survivor. */
    private static ChildJvm.Found awaitOutcomeOnEither(String session, ChildJvm first, ChildJvm second) throws InterruptedException {
        return ChildJvm.awaitLineOnAny(List.of(first, second), "an outcome event for " + session,
                l -> l.startsWith("event " + session + " HandoffCompleted") || l.startsWith("event " + session + " ReturnedToBot"), WAIT);
    }
}
