package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale scenario: eight instances of a chat application, each in its own JVM ({@link ChatInstanceChild}),
 * on one PostgreSQL; each hands off 25 conversations to the shared queue and has three agents taking offers from it,
 * so 200 offers are raced for by 24 agents on eight instances. Every conversation is connected once, to the one agent
 * who accepted its offer, whichever instance that agent is on, and the tables say the same.
 */
class EightInstancesTest {

    private static final int INSTANCES = 8;
    private static final int HANDOFFS_PER_INSTANCE = 25;
    private static final int AGENTS_PER_INSTANCE = 3;
    private static final String TENANT = "t-eight";
    private static final Duration WAIT = Duration.ofMinutes(5);   // 8 JVMs starting on 2 shared cores

    @TempDir
    Path tmp;

    /** One line a child printed about a conversation: {@code <kind> <agent> <session>} or {@code outcome <session> ...}. */
    private record Line(String instance, String kind, String session, String agent, String status, String detail) {
        static Line parse(String instance, String line) {
            String[] w = line.split(" ", 6);
            return w[0].equals("outcome")
                    ? new Line(instance, w[0], w[1], w[4], w[2], w[3] + " " + (w.length > 5 ? w[5] : ""))
                    : new Line(instance, w[0], w[2], w[1], null, null);
        }
    }

    @Test
    void eight_instances_in_eight_jvms_hand_off_200_chats_and_each_offer_is_taken_exactly_once() throws Exception {
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("eight_instances", 2)) {
            PostgresSchema.migrate(db, PostgresSchema.DEFAULT_SCHEMA);
            String jdbcUrl = EmbeddedDatabase.server().getJdbcUrl("postgres", "eight_instances");
            List<String> instanceIds = IntStream.range(0, INSTANCES).mapToObj(i -> "i-" + i).toList();

            // given eight instances, each with its agents signed in to the shared queue
            List<ChildJvm> children = new ArrayList<>();
            List<Line> lines = new ArrayList<>();
            try {
                for (String id : instanceIds) {
                    children.add(ChildJvm.start(tmp, id, ChatInstanceChild.class, jdbcUrl, TENANT, id,
                            String.valueOf(HANDOFFS_PER_INSTANCE), String.valueOf(AGENTS_PER_INSTANCE)));
                }
                for (ChildJvm child : children) {
                    child.awaitLine(0, "ready", "ready"::equals, WAIT);
                }
                // when: every instance hands off its conversations at once
                for (ChildJvm child : children) {
                    child.send("go");
                }
                // (agents keep serving until every instance has all its outcomes: a late offer may go to any of them)
                for (ChildJvm child : children) {
                    child.awaitLine(0, "done", "done"::equals, WAIT);
                }
                for (ChildJvm child : children) {
                    child.send("stop");
                }
                for (ChildJvm child : children) {
                    assertThat(child.awaitExit(WAIT)).as("%s exit code (stderr: %s)", child.name(), child.stderrTail()).isZero();
                    assertThat(child.lines()).as(child.name()).endsWith("stopped");
                    child.lines().stream().filter(l -> !List.of("ready", "done", "stopped").contains(l))
                            .forEach(l -> lines.add(Line.parse(child.name(), l)));
                }
            } finally {
                for (ChildJvm child : children) {
                    child.close();
                }
            }

            // then: what the customers and the agents saw
            List<String> sessions = instanceIds.stream()
                    .flatMap(id -> IntStream.range(0, HANDOFFS_PER_INSTANCE).mapToObj(n -> id + "-chat-" + n)).toList();
            List<Line> outcomes = lines.stream().filter(l -> l.kind().equals("outcome")).toList();
            List<Line> accepted = lines.stream().filter(l -> l.kind().equals("accepted")).toList();
            assertThat(outcomes).extracting(Line::session).as("every conversation got an outcome, once (nobody left in silence)")
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sessions);
            assertThat(outcomes).filteredOn(o -> !o.status().equals("CONNECTED"))
                    .extracting(o -> o.session() + " " + o.status() + " " + o.detail()).as("conversations not connected").isEmpty();
            assertThat(outcomes).as("each outcome reported by the instance that handed the conversation off")
                    .allMatch(o -> o.session().startsWith(o.instance() + "-chat-"));
            assertThat(accepted).extracting(Line::session).as("every offer accepted by exactly one agent")
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sessions);
            Map<String, String> acceptedBy = new HashMap<>();
            accepted.forEach(a -> acceptedBy.put(a.session(), a.agent()));
            for (Line o : outcomes) {
                assertThat(o.agent()).as("the agent %s reports is the one who accepted its offer", o.session())
                        .isEqualTo(acceptedBy.get(o.session()));
            }
            assertThat(accepted).as("agents report from their own instance")
                    .allMatch(a -> a.agent().startsWith(a.instance() + "-agent-"));
            assertThat(accepted).as("offers made on one instance were taken by agents on others")
                    .anyMatch(a -> !a.session().startsWith(a.instance() + "-chat-"));
            assertThat(lines).filteredOn(l -> l.kind().equals("declined")).as("the decline path was exercised").isNotEmpty();
            assertThat(lines).filteredOn(l -> l.kind().equals("refused")).as("no agent was handed an offer it could not accept")
                    .isEmpty();

            // and the database agrees: one accepted offer per conversation, claimed by its agent; one connected handoff,
            // still owned by the instance that started it
            Map<String, String> offers = new HashMap<>();
            Map<String, String> handoffs = new HashMap<>();
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT session_id, state, claimed_by, owner FROM handoff.offers WHERE tenant_id = '"
                        + TENANT + "'")) {
                    while (rs.next()) {
                        assertThat(offers.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4)))
                                .as("a second offer for %s", rs.getString(1)).isNull();
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT session_id, outcome, owner, taken_over FROM handoff.handoffs WHERE tenant_id = '"
                        + TENANT + "'")) {
                    while (rs.next()) {
                        assertThat(handoffs.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3) + " " + rs.getInt(4)))
                                .as("a second handoff row for %s", rs.getString(1)).isNull();
                    }
                }
            }
            Map<String, String> expectedOffers = new HashMap<>();
            Map<String, String> expectedHandoffs = new HashMap<>();
            for (String session : sessions) {
                String owner = session.substring(0, session.indexOf("-chat-"));
                expectedOffers.put(session, "ACCEPTED " + acceptedBy.get(session) + " " + owner);
                expectedHandoffs.put(session, "CONNECTED " + owner + " 0");
            }
            assertThat(offers).as("offers: state, claimed by, owner").containsExactlyInAnyOrderEntriesOf(expectedOffers);
            assertThat(handoffs).as("handoffs: outcome, owner, takeovers").containsExactlyInAnyOrderEntriesOf(expectedHandoffs);
        }
    }
}
