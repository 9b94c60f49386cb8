package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Speaker;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.HandoffOutcome;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's work over the desktop's own HTTP API and socket, against a real Handoff: the offer, opening the context
 * (redeemed through core), accepting, the chat relay both ways, verifying a commitment, handing back with a note.
 */
class AgentWorkTest {

    final DeskFixture f = new DeskFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void an_agent_takes_a_chat_writes_to_the_customer_reads_the_answer_corrects_a_promise_and_hands_back() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            assertThat(socket.next("hello").path("agent").path("name").asText()).isEqualTo("Ana Lopez");

            DeskFixture.Chat chat = f.chat("chat-work-1", "Dana Whitfield", "support", "northwind", "cust-7781");

            JsonNode notice = socket.next("handoff");
            String contextId = notice.path("contextId").asText();
            assertThat(notice.toString().indexOf("\"whisper\"")).as("whisper first").isLessThan(notice.toString().indexOf("\"escalation\""));
            assertThat(notice.path("label").asText()).startsWith("Dana Whitfield · chat #");
            JsonNode offer = socket.next("offer");
            assertThat(offer.path("contextId").asText()).isEqualTo(contextId);
            assertThat(offer.path("queue").asText()).isEqualTo("support");

            DeskClient.Answer opened = ana.post("/api/handoffs/" + contextId + "/open");
            assertThat(opened.status()).as(opened.body()).isEqualTo(200);
            JsonNode view = opened.json();
            assertThat(view.path("context").path("transcript")).hasSize(6);
            assertThat(view.path("context").path("crmProfile").path("displayName").asText()).isEqualTo("Dana Whitfield");
            assertThat(view.path("commitments")).extracting(c -> c.path("kind").asText()).contains("DISCOUNT", "CALLBACK");
            assertThat(view.path("commitments").get(0).path("verifyBy").asText())
                    .isEqualTo(f.deskClock.instant().plus(AgentDesktop.DEFAULT_VERIFICATION_WINDOW).toString());

            DeskClient.Answer accepted = ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
            HandoffOutcome outcome = chat.outcome().get(10, TimeUnit.SECONDS);
            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(socket.next(n -> "phase".equals(n.path("type").asText()) && "ana".equals(n.path("acceptedBy").asText()))
                    .path("canWrite").asBoolean()).isTrue();

            // the relay: the agent writes, the bot host delivers; the customer answers, the agent sees it
            DeskClient.Answer sent = ana.post("/api/handoffs/" + contextId + "/messages", "{\"text\":\"Hi Dana, I'm Ana. Let's settle the price now.\"}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            HandoffEvent.AgentMessage delivered = f.toCustomer.poll(10, TimeUnit.SECONDS);
            assertThat(delivered).isNotNull();
            assertThat(delivered.turn().text()).isEqualTo("Hi Dana, I'm Ana. Let's settle the price now.");
            assertThat(delivered.agentId()).isEqualTo("ana");
            chat.session().customer("Great, can you do 15%?");
            JsonNode answer = socket.next(n -> "turn".equals(n.path("type").asText()) && "CUSTOMER".equals(n.path("turn").path("speaker").asText()));
            assertThat(answer.path("turn").path("text").asText()).isEqualTo("Great, can you do 15%?");

            String discount = view.path("commitments").get(0).path("id").asText();
            DeskClient.Answer corrected = ana.post("/api/handoffs/" + contextId + "/commitments/" + discount,
                    "{\"action\":\"CORRECT\",\"value\":\"10%\"}");
            assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
            assertThat(f.handoff.commitments().commitments(chat.id())).filteredOn(c -> c.id().equals(discount)).singleElement()
                    .satisfies(c -> {
                        assertThat(c.status()).isEqualTo(Commitment.Status.CORRECTED);
                        assertThat(c.correctedValue()).isEqualTo("10%");
                        assertThat(c.verifiedBy()).isEqualTo("ana");
                    });

            DeskClient.Answer back = ana.post("/api/handoffs/" + contextId + "/hand-back", "{\"note\":\"Agreed 10% for 40 seats; send the order form\"}");
            assertThat(back.status()).as(back.body()).isEqualTo(200);
            assertThat(f.handoff.phase(chat.id())).contains(HandoffPhase.RETURNED_TO_BOT);
            assertThat(chat.session().turns().get(chat.session().turns().size() - 1))
                    .satisfies(t -> {
                        assertThat(t.speaker()).isEqualTo(Speaker.SYSTEM);
                        assertThat(t.text()).isEqualTo("Handed back by ana: Agreed 10% for 40 seats; send the order form");
                    });
        }

        List<AuditRecord> audit = f.audit.records();
        assertThat(audit).filteredOn(r -> r.action() == AuditRecord.Action.TICKET_REDEEMED).singleElement()
                .extracting(AuditRecord::actor).isEqualTo("ana");
        assertThat(audit).extracting(AuditRecord::action).containsSubsequence(AuditRecord.Action.DESK_SIGNED_IN,
                AuditRecord.Action.DESK_CONNECTED, AuditRecord.Action.CONTEXT_VIEWED, AuditRecord.Action.OFFER_ACCEPTED,
                AuditRecord.Action.AGENT_MESSAGE_SENT, AuditRecord.Action.COMMITMENT_CORRECTED, AuditRecord.Action.RETURNED_TO_BOT);
        // everything ana did from her desk names her address; core's own records of the transfer name her as the agent it reached
        assertThat(audit).filteredOn(r -> "ana".equals(r.actor()) && !java.util.Set.of(AuditRecord.Action.TICKET_REDEEMED,
                        AuditRecord.Action.TRANSFER_ATTEMPTED, AuditRecord.Action.HANDOFF_CONNECTED).contains(r.action()))
                .hasSizeGreaterThanOrEqualTo(8)
                .allSatisfy(r -> assertThat(r.clientAddress()).as(r.toString()).isEqualTo("127.0.0.1"));
        assertThat(audit.toString()).doesNotContain("settle the price", "15%?", "order form", DeskFixture.ANA_TOKEN);
    }
}
