package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.HandoffOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every handoff reaches the agent's socket, whisper first, before the transfer starts, and the agent's accept over the
 * API connects it. The latency of that path is measured by the benchmark harness in {@code benchmarks/}, not asserted here.
 */
class DeliveryTest {

    static final int HANDOFFS = 40;

    @Test
    void every_handoff_reaches_the_agents_socket_with_the_whisper_before_the_transfer_starts() throws Exception {
        Map<SessionId, List<String>> order = new ConcurrentHashMap<>();
        try (DeskFixture f = new DeskFixture(); DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            f.handoff.addListener(e -> {
                if (e instanceof HandoffEvent.AgentNotified || e instanceof HandoffEvent.TransferStarted) {
                    order.computeIfAbsent(e.sessionId(), s -> new CopyOnWriteArrayList<>()).add(e.getClass().getSimpleName());
                }
            });
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");

            for (int i = 0; i < HANDOFFS; i++) {
                DeskFixture.Chat chat = f.chat("desk-" + i, "Customer " + i, "support");
                JsonNode notice = socket.next(n -> "handoff".equals(n.path("type").asText()) && n.path("sessionId").asText().equals(chat.id().value()));
                String pushed = notice.toString();
                assertThat(pushed.indexOf("\"whisper\"")).as("whisper first in %s", pushed).isNotNegative()
                        .isLessThan(pushed.indexOf("\"escalation\"")).isLessThan(pushed.indexOf("\"preview\""));
                JsonNode offer = socket.next(n -> "offer".equals(n.path("type").asText()) && n.path("contextId").equals(notice.path("contextId")));
                assertThat(ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
                HandoffOutcome outcome = chat.outcome().get(30, TimeUnit.SECONDS);
                assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(order.get(chat.id())).containsExactly("AgentNotified", "TransferStarted");
                chat.session().end("done");
            }
        }
    }
}
