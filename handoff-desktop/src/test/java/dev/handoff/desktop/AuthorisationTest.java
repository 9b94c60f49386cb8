package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AuditRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who sees what, for every endpoint and every socket message (IDOR). Ben's billing chat (tenant northwind) is driven
 * through every step: notice, offer, accept, the relay both ways, read, a corrected commitment. Ana (support, same
 * tenant), Zoe (support, tenant acme) and Oli (acme's supervisor) try every endpoint on it and get 404 with nothing
 * changed; Sue (northwind's supervisor) sees it but acts on nothing (403). Their sockets never carry a byte of it.
 */
class AuthorisationTest {

    final DeskFixture f = new DeskFixture();
    DeskClient ana;
    DeskClient ben;
    DeskClient sue;
    DeskClient zoe;
    DeskClient oli;

    @BeforeEach
    void signIn() {
        ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN);
        ben = DeskClient.signedIn(f.desk, DeskFixture.BEN_TOKEN);
        sue = DeskClient.signedIn(f.desk, DeskFixture.SUE_TOKEN);
        zoe = DeskClient.signedIn(f.desk, DeskFixture.ZOE_TOKEN);
        oli = DeskClient.signedIn(f.desk, DeskFixture.OLI_TOKEN);
    }

    @AfterEach
    void close() {
        List.of(ana, ben, sue, zoe, oli).forEach(DeskClient::close);
        f.close();
    }

    /** Every handoff endpoint, as (path suffix, body). */
    static final Map<String, String> HANDOFF_ENDPOINTS = Map.of(
            "/open", "",
            "/read", "",
            "/messages", "{\"text\":\"Hello from the wrong agent\"}",
            "/hand-back", "{\"note\":\"not mine\"}",
            "/commitments/c-1", "{\"action\":\"REVOKE\"}",
            "/feedback", "{\"escalation\":\"NOT_NEEDED\",\"resolved\":false,\"commitments\":[{\"id\":\"c-1\",\"verdict\":\"REVOKED\"}]}");

    @Test
    void nobody_outside_the_queue_or_tenant_sees_or_touches_a_handoff_and_a_supervisor_only_watches() throws Exception {
        DeskClient.Socket anaSocket = ana.socket("/ws");
        DeskClient.Socket benSocket = ben.socket("/ws");
        DeskClient.Socket sueSocket = sue.socket("/ws");
        DeskClient.Socket zoeSocket = zoe.socket("/ws");
        DeskClient.Socket oliBoard = oli.socket("/ws/board");
        DeskClient.Socket sueBoard = sue.socket("/ws/board");
        for (DeskClient.Socket s : List.of(anaSocket, benSocket, sueSocket, zoeSocket, oliBoard, sueBoard)) {
            s.next("hello");
        }

        // ben's billing chat, through every step a socket reports
        DeskFixture.Chat billing = f.chat("chat-billing-1", "Marco Rossi", "billing");
        JsonNode offer = benSocket.next("offer");
        String contextId = offer.path("contextId").asText();
        String session = billing.id().value();

        // the others try every endpoint before ben has it...
        assertRefusedEverywhere(contextId, offer.path("offerId").asText(), Set.of());
        // ...and after: the offer accepted, the relay used, the context read
        assertThat(ben.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
        assertThat(billing.outcome().get(10, TimeUnit.SECONDS).status()).isEqualTo(dev.handoff.core.HandoffOutcome.Status.CONNECTED);
        assertThat(ben.post("/api/handoffs/" + contextId + "/open").status()).isEqualTo(200);
        assertThat(ben.post("/api/handoffs/" + contextId + "/messages", "{\"text\":\"Hi Marco, Ben here.\"}").status()).isEqualTo(200);
        billing.session().customer("Hi Ben, the card ending 4242.");
        assertThat(ben.post("/api/handoffs/" + contextId + "/read").status()).isEqualTo(200);
        String commitment = f.handoff.commitments().commitments(billing.id()).get(0).id();
        assertThat(ben.post("/api/handoffs/" + contextId + "/commitments/" + commitment, "{\"action\":\"CORRECT\",\"value\":\"$10\"}")
                .status()).isEqualTo(200);
        assertRefusedEverywhere(contextId, offer.path("offerId").asText(), Set.of("accepted"));

        // a handoff ana and zoe may each see, pushed after everything above: their sockets are in step
        DeskFixture.Chat northwindSupport = f.chat("chat-support-2", "Dana Whitfield", "support");
        DeskFixture.Chat acmeSupport = f.chat("chat-acme-3", "Ola Nowak", "support", "acme", null);
        anaSocket.next(n -> "handoff".equals(n.path("type").asText()) && n.path("sessionId").asText().equals("chat-support-2"));
        zoeSocket.next(n -> "handoff".equals(n.path("type").asText()) && n.path("sessionId").asText().equals("chat-acme-3"));
        benSocket.next(n -> "read".equals(n.path("type").asText()));
        oliBoard.next(n -> "board".equals(n.path("type").asText()) && n.toString().contains(f.handoffIdOf(acmeSupport)));
        sueSocket.next(n -> "handoff".equals(n.path("type").asText()) && n.path("sessionId").asText().equals("chat-support-2"));

        // ben got every kind of message about his chat; the others not one
        assertThat(types(benSocket.mentioning(contextId))).contains("handoff", "offer", "phase", "turn", "commitment", "read");
        assertThat(types(sueSocket.mentioning(contextId))).as("the supervisor watches").contains("handoff", "phase", "turn", "commitment", "read")
                .doesNotContain("offer");
        for (DeskClient.Socket outsider : List.of(anaSocket, zoeSocket, oliBoard)) {
            assertThat(outsider.mentioning(contextId)).isEmpty();
            assertThat(outsider.mentioning(session)).isEmpty();
            assertThat(outsider.mentioning("Marco")).isEmpty();
        }
        assertThat(zoeSocket.mentioning("chat-support-2")).as("same queue name, other tenant").isEmpty();
        assertThat(anaSocket.mentioning("chat-acme-3")).isEmpty();
        assertThat(sueBoard.mentioning("Marco Rossi")).as("the tenant's own wallboard shows it").isNotEmpty();

        // nothing the others tried changed anything
        assertThat(f.handoff.phase(billing.id())).contains(HandoffPhase.CONNECTED);
        assertThat(f.toCustomer).extracting(HandoffEvent.AgentMessage::agentId).containsOnly("ben");
        assertThat(f.handoff.commitments().commitments(billing.id())).filteredOn(c -> c.status() == Commitment.Status.REVOKED).isEmpty();
        assertThat(f.events).filteredOn(e -> e instanceof HandoffEvent.ContextRead).extracting(e -> ((HandoffEvent.ContextRead) e).agentId())
                .containsOnly("ben");
        northwindSupport.session().end("test over");
        acmeSupport.session().end("test over");
    }

    /** Every endpoint on the handoff as ana, zoe and oli: 404 and audited; as sue: open only. */
    private void assertRefusedEverywhere(String contextId, String benOfferId, Set<String> state) {
        for (DeskClient outsider : List.of(ana, zoe, oli)) {
            for (Map.Entry<String, String> e : HANDOFF_ENDPOINTS.entrySet()) {
                DeskClient.Answer a = outsider.post("/api/handoffs/" + contextId + e.getKey(), e.getValue());
                assertThat(a.status()).as("%s %s %s", who(outsider), e.getKey(), state).isEqualTo(404);
                assertThat(a.body()).doesNotContain("Marco", "chat-billing-1");
            }
            for (String verb : List.of("accept", "decline")) {
                assertThat(outsider.post("/api/offers/" + benOfferId + "/" + verb).status()).as("%s %s ben's offer", who(outsider), verb)
                        .isEqualTo(404);
            }
        }
        for (Map.Entry<String, String> e : HANDOFF_ENDPOINTS.entrySet()) {
            int expected = e.getKey().equals("/open") ? 200 : 403;
            assertThat(sue.post("/api/handoffs/" + contextId + e.getKey(), e.getValue()).status()).as("sue %s", e.getKey())
                    .isEqualTo(expected);
        }
        for (String path : List.of("/api/wallboard", "/api/wallboard/kpis?window=hour", "/api/wallboard/export.csv?window=day")) {
            assertThat(ana.get(path).status()).as("ana %s", path).isEqualTo(403);
            DeskClient.Answer other = oli.get(path);
            assertThat(other.status()).as("oli %s", path).isEqualTo(200);
            assertThat(other.body()).as("oli %s", path).doesNotContain("Marco", "chat-billing-1", contextId);
        }
        assertThat(f.audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.DESK_ACCESS_DENIED && "ana".equals(r.actor()))
                .extracting(AuditRecord::outcome).contains("404:handoff", "404:offer", "403:wallboard", "403:kpis", "403:export");
    }

    @Test
    void a_board_socket_is_for_supervisors_only() throws Exception {
        assertThat(ana.socket("/ws/board").refused.get(10, TimeUnit.SECONDS)).isEqualTo(403);
        assertThat(new DeskClient(f.desk.baseUri()).socket("/ws").refused.get(10, TimeUnit.SECONDS)).as("no session").isEqualTo(401);
    }

    private String who(DeskClient c) {
        return c == ana ? "ana" : c == zoe ? "zoe" : c == oli ? "oli" : "?";
    }

    private static Set<String> types(List<JsonNode> messages) {
        return messages.stream().map(n -> n.path("type").asText()).collect(Collectors.toSet());
    }
}
