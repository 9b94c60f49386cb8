package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.core.HandoffOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's wallboard over its socket and API: live handoffs by phase, queue depth and the oldest wait, silent
 * alarms first, overdue commitments, who is signed in; the KPIs from core's HandoffMetrics; the CSV export.
 */
class WallboardTest {

    final DeskFixture f = new DeskFixture(b -> b, h -> h.commitmentDeadline(Duration.ofMillis(300)), Clock.systemUTC());

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void the_board_follows_a_handoff_from_the_queue_to_the_agent_and_flags_what_is_overdue() throws Exception {
        try (DeskClient sue = DeskClient.signedIn(f.desk, DeskFixture.SUE_TOKEN); DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket board = sue.socket("/ws/board");
            board.next("hello");
            JsonNode empty = board.next("board");
            assertThat(empty.path("handoffs")).isEmpty();
            assertThat(empty.path("agents")).extracting(a -> a.path("id").asText()).containsExactly("sue", "ana");
            DeskClient.Socket desk = ana.socket("/ws");

            DeskFixture.Chat chat = f.chat("chat-board-1", "Dana Whitfield", "support");
            String handoffId = f.events.stream().filter(e -> e instanceof dev.handoff.api.event.HandoffEvent.PhaseChanged p
                    && p.sessionId().equals(chat.id())).map(e -> ((dev.handoff.api.event.HandoffEvent.PhaseChanged) e).handoffId())
                    .findFirst().orElseThrow();
            JsonNode waiting = board.next(n -> phaseOf(n, handoffId).equals("TRANSFERRING"));
            assertThat(waiting.path("phases").path("TRANSFERRING").asInt()).isEqualTo(1);
            assertThat(waiting.path("queues")).singleElement().satisfies(q -> {
                assertThat(q.path("name").asText()).isEqualTo("support");
                assertThat(q.path("depth").asInt()).isEqualTo(1);
                assertThat(q.path("agentsSignedIn").asInt()).isEqualTo(1);
                assertThat(q.path("oldestWaitSeconds").asLong()).isNotNegative();
            });
            assertThat(row(waiting, handoffId).path("label").asText()).startsWith("Dana Whitfield · chat #");

            String offerId = desk.next("offer").path("offerId").asText();
            assertThat(ana.post("/api/offers/" + offerId + "/accept").status()).isEqualTo(200);
            assertThat(chat.outcome().get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            JsonNode connected = board.next(n -> phaseOf(n, handoffId).equals("CONNECTED") && row(n, handoffId).path("agent").asText().equals("ana"));
            assertThat(connected.path("queues")).isEmpty();

            // nobody verified the AI's promises in time: core reports them overdue, the board lists them
            JsonNode overdue = board.next(n -> n.path("overdue").size() > 0);
            assertThat(overdue.path("overdue")).extracting(o -> o.path("kind").asText()).contains("DISCOUNT", "CALLBACK");
            assertThat(row(overdue, handoffId).path("overdue").asInt()).isEqualTo(2);
        }
    }

    @Test
    void a_silent_alarm_is_listed_first_and_flagged() throws Exception {
        try (DeskClient sue = DeskClient.signedIn(f.desk, DeskFixture.SUE_TOKEN); DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket board = sue.socket("/ws/board");
            f.chat("chat-board-2", "Dana Whitfield", "support");
            var s = f.handoff.open(dev.handoff.api.SessionId.of("chat-board-3"), dev.handoff.api.Channel.CHAT,
                    new dev.handoff.api.CustomerData(null, java.util.Map.of(), java.util.Map.of("name", "Tom Becker", "queue", "support"), List.of()));
            s.customer("Your update broke our webhook integration.");
            var alarm = s.customer("This is unacceptable. My lawyer will hear about it.");
            assertThat(alarm.action()).isEqualTo(dev.handoff.api.HandoffDecision.Action.SILENT_ALARM);
            s.handOff(alarm);

            JsonNode both = board.next(n -> n.path("handoffs").size() == 2);
            assertThat(both.path("handoffs").get(0).path("label").asText()).startsWith("Tom Becker");
            assertThat(both.path("handoffs").get(0).path("silentAlarm").asBoolean()).isTrue();
            assertThat(both.path("handoffs").get(1).path("silentAlarm").asBoolean()).isFalse();
        }
    }

    @Test
    void kpis_and_the_csv_export_come_from_core_metrics_and_carry_no_customer_data() throws Exception {
        try (DeskClient sue = DeskClient.signedIn(f.desk, DeskFixture.SUE_TOKEN); DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket desk = ana.socket("/ws");
            DeskFixture.Chat taken = f.chat("chat-kpi-1", "Dana Whitfield", "support");
            assertThat(ana.post("/api/offers/" + desk.next("offer").path("offerId").asText() + "/accept").status()).isEqualTo(200);
            taken.outcome().get(10, TimeUnit.SECONDS);
            DeskFixture.Chat nobody = f.chat("chat-kpi-2", "Priya Natarajan", "claims");   // no agent in claims: back to the bot
            assertThat(nobody.outcome().get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
            var contained = f.handoff.open(dev.handoff.api.Channel.CHAT);
            contained.customer("What are your opening hours?");
            contained.end("resolved by the AI");
            taken.session().end("done");
            nobody.session().end("done");

            JsonNode k = sue.get("/api/wallboard/kpis?window=hour").json();
            assertThat(k.path("window").asText()).isEqualTo("hour");
            assertThat(k.path("containment").path("ended").asLong()).isEqualTo(3);
            assertThat(k.path("containment").path("contained").asLong()).isEqualTo(1);
            assertThat(k.path("transfers").path("connected").asLong()).isEqualTo(1);
            assertThat(k.path("transfers").path("returned").asLong()).isEqualTo(1);
            assertThat(k.path("transfers").path("successRate").asDouble()).isEqualTo(0.5);
            assertThat(k.path("escalations")).anySatisfy(e -> assertThat(e.path("kind").asText()).isEqualTo("EXPLICIT_REQUEST"));
            assertThat(k.path("latency")).filteredOn(l -> l.path("phase").asText().equals("CONNECTED")).singleElement()
                    .satisfies(l -> assertThat(l.path("samples").asInt()).isEqualTo(1));
            assertThat(k.path("series").path("buckets")).hasSize(12);
            assertThat(sue.get("/api/wallboard/kpis?window=day").json().path("series").path("buckets")).hasSize(24);
            assertThat(sue.get("/api/wallboard/kpis?window=week").status()).isEqualTo(400);

            DeskClient.Answer csv = sue.get("/api/wallboard/export.csv?window=hour");
            assertThat(csv.status()).isEqualTo(200);
            assertThat(csv.headers().get("Content-Type")).isEqualTo("text/csv; charset=utf-8");
            assertThat(csv.headers().get("Content-Disposition")).isEqualTo("attachment; filename=\"handoff-wallboard.csv\"");
            assertThat(csv.body()).startsWith("window,from,to,metric,dimension,value\r\n")
                    .contains(",containment_rate,,0.3333333333333333\r\n", ",transfers_connected,,1\r\n", ",escalations,EXPLICIT_REQUEST,",
                            ",latency_p50_ms,CONNECTED,", ",agents_signed_in,,2\r\n")
                    .doesNotContain("Dana", "Priya", "chat-kpi");
        }
        assertThat(f.audit.records()).filteredOn(r -> r.action() == dev.handoff.api.spi.AuditRecord.Action.WALLBOARD_VIEWED)
                .extracting(dev.handoff.api.spi.AuditRecord::outcome).contains("csv:hour");
    }

    private static String phaseOf(JsonNode board, String handoffId) {
        if (!"board".equals(board.path("type").asText())) {
            return "";
        }
        JsonNode r = row(board, handoffId);
        return r == null ? "" : r.path("phase").asText();
    }

    private static JsonNode row(JsonNode board, String handoffId) {
        for (JsonNode h : board.path("handoffs")) {
            if (h.path("handoffId").asText().equals(handoffId)) {
                return h;
            }
        }
        return null;
    }
}
