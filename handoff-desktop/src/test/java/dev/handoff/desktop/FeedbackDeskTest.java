package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Commitment;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.metrics.InMemoryMetricsSink;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An agent's feedback from the desktop's HTTP API reaches the KPIs, the ledger and the audit trail. */
class FeedbackDeskTest {

    private final InMemoryMetricsSink metrics = new InMemoryMetricsSink();
    private final CompletableFuture<Void> resolution = new CompletableFuture<>();
    /** The KPIs as a metrics backend sees them; the last feedback metric completes {@link #resolution}. */
    private final MetricsSink sink = new MetricsSink() {
        @Override
        public void increment(String name, Map<String, String> tags) {
            metrics.increment(name, tags);
        }

        @Override
        public void record(String name, Duration duration, Map<String, String> tags) {
            metrics.record(name, duration, tags);
        }

        @Override
        public void gauge(String name, double value, Map<String, String> tags) {
            metrics.gauge(name, value, tags);
            if (name.equals("handoff.customer_effort.mean")) {
                resolution.complete(null);
            }
        }
    };
    private final DeskFixture f = new DeskFixture(b -> b, h -> h.metricsSink(sink), Clock.systemUTC());

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void feedback_from_the_desk_reaches_the_kpis_the_ledger_and_the_audit_trail_even_after_the_chat_ended() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            DeskFixture.Chat chat = f.chat("chat-feedback-1", "Dana Whitfield", "support", "northwind", "cust-7781");
            String contextId = socket.next("handoff").path("contextId").asText();
            JsonNode offer = socket.next("offer");
            assertThat(ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
            assertThat(chat.outcome().get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            chat.session().end("customer left");

            DeskClient.Answer answer = ana.post("/api/handoffs/" + contextId + "/feedback", """
                    {"escalation": "LATE", "earlierTurn": 2, "resolved": true, "customerEffort": 5,
                     "whisper": {"GOAL": "ACCURATE", "BUDGET": "INACCURATE", "opening_line": "accurate"},
                     "commitments": [{"id": "c-1", "verdict": "CORRECTED", "value": "10% off for 40 seats"},
                                     {"id": "c-2", "verdict": "CONFIRMED"}]}""");

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("commitments")).extracting(c -> c.path("id").asText() + " " + c.path("status").asText())
                    .containsExactly("c-1 CORRECTED", "c-2 CONFIRMED");
        }
        resolution.get(10, TimeUnit.SECONDS);
        assertThat(metrics.count("handoff.feedback.escalation", Map.of("verdict", "LATE", "kind", "EXPLICIT_REQUEST"))).isEqualTo(1);
        assertThat(metrics.gauge("handoff.whisper.accuracy", Map.of("field", "OPENING_LINE"))).isEqualTo(1.0);
        assertThat(metrics.gauge("handoff.whisper.accuracy", Map.of("field", "BUDGET"))).isEqualTo(0.0);
        assertThat(metrics.gauge("handoff.first_contact_resolution.rate", Map.of())).isEqualTo(1.0);
        assertThat(metrics.count("handoff.feedback.effort", Map.of("score", "5"))).isEqualTo(1);
        assertThat(f.handoff.commitments().commitments(dev.handoff.api.SessionId.of("chat-feedback-1")))
                .extracting(Commitment::status).containsExactly(Commitment.Status.CORRECTED, Commitment.Status.CONFIRMED);
        assertThat(f.audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.FEEDBACK_GIVEN).singleElement()
                .satisfies(r -> {
                    assertThat(r.actor()).isEqualTo("ana");
                    assertThat(r.outcome()).isEqualTo("LATE:resolved:effort-5:wrong-1");
                    assertThat(r.clientAddress()).isEqualTo("127.0.0.1");
                });
        assertThat(f.audit.records().toString()).doesNotContain("40 seats");
    }

    @Test
    void bad_feedback_gets_a_400_naming_the_field_and_changes_nothing() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            DeskFixture.Chat chat = f.chat("chat-feedback-2", "Dana Whitfield", "support", "northwind", "cust-7781");
            String contextId = socket.next("handoff").path("contextId").asText();
            assertThat(ana.post("/api/offers/" + socket.next("offer").path("offerId").asText() + "/accept").status()).isEqualTo(200);
            assertThat(chat.outcome().get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);

            DeskClient.Answer unknownField = ana.post("/api/handoffs/" + contextId + "/feedback",
                    "{\"escalation\":\"NEEDED\",\"resolved\":true,\"whisper\":{\"MOOD\":\"ACCURATE\"}}");
            DeskClient.Answer outOfRange = ana.post("/api/handoffs/" + contextId + "/feedback",
                    "{\"escalation\":\"NEEDED\",\"resolved\":true,\"customerEffort\":0,"
                            + "\"commitments\":[{\"id\":\"c-1\",\"verdict\":\"CORRECTED\",\"value\":\"" + "y".repeat(201) + "\"}]}");
            DeskClient.Answer unknownCommitment = ana.post("/api/handoffs/" + contextId + "/feedback",
                    "{\"escalation\":\"NEEDED\",\"resolved\":true,\"commitments\":[{\"id\":\"c-9\",\"verdict\":\"CONFIRMED\"}]}");

            assertThat(unknownField.status()).isEqualTo(400);
            assertThat(unknownField.json().path("error").asText()).isEqualTo("whisper key must be one of [GOAL, OBSTACLE, SENTIMENT, "
                    + "OPENING_LINE, BUDGET, AUTHORITY, NEED, TIMELINE, PAIN_POINTS], was \"MOOD\"");
            assertThat(outOfRange.status()).isEqualTo(400);
            assertThat(outOfRange.json().path("error").asText()).isEqualTo("Invalid handoff feedback (2 violations):"
                    + "\n  - $.commitments[0].correctedValue: size must be between 1 and 200 (was \"201 characters\")"
                    + "\n  - $.customerEffort: must be greater than or equal to 1 (was 0)");
            assertThat(unknownCommitment.status()).isEqualTo(409);
            assertThat(unknownCommitment.json().path("error").asText()).isEqualTo("no commitment \"c-9\" in session chat-feedback-2");
        }
        assertThat(f.handoff.commitments().commitments(dev.handoff.api.SessionId.of("chat-feedback-2")))
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(Commitment.Status.PENDING_VERIFICATION));
        assertThat(f.audit.records()).noneMatch(r -> r.action() == AuditRecord.Action.FEEDBACK_GIVEN);
        assertThat(metrics.countAll("handoff.feedback.escalation")).isZero();
    }
}
