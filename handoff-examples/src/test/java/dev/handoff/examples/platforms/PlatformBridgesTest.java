package dev.handoff.examples.platforms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.core.chat.AgentQueue;
import java.time.Duration;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.transport.CrmHttpClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each platform bridge on a real Handoff: a customer asks for a person, the platform gets its payload with a ticket that redeems. */
class PlatformBridgesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Handoff handoff = Handoff.builder().build();

    @AfterEach
    void close() {
        handoff.close();
    }

    @Test
    void bot_framework_bot_sends_handoff_initiate_and_completed_status_hands_back() throws Exception {
        CompletableFuture<String> sent = new CompletableFuture<>();
        CompletableFuture<HandoffEvent.ReturnedToBot> returned = new CompletableFuture<>();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        handoff.addListener(e -> {
            if (e instanceof HandoffEvent.ReturnedToBot r) {
                returned.complete(r);
            }
            // listening before the agent accepts: CONNECTED is followed at once by VERIFIED when nothing is pending
            if (e instanceof HandoffEvent.PhaseChanged p && p.phase() == HandoffPhase.CONNECTED) {
                connected.complete(null);
            }
        });
        BotFrameworkBridge bot = new BotFrameworkBridge(handoff, sent::complete);
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");

        bot.onTurn("conv-42", "Honestly, let me talk to a person.", "{\"type\":\"message\",\"id\":\"a-1\",\"conversation\":{\"id\":\"conv-42\"}}");
        JsonNode activity = JSON.readTree(sent.get(10, TimeUnit.SECONDS));
        // the hub's agent takes the conversation (here the in-process queue stands in for the hub)
        support.take("alice", Duration.ofSeconds(10)).orElseThrow().accept();
        connected.get(10, TimeUnit.SECONDS);
        PlatformUpdate update = bot.onHandoffStatus("{\"type\":\"event\",\"name\":\"handoff.status\",\"conversation\":{\"id\":\"conv-42\"},"
                + "\"value\":{\"state\":\"completed\",\"message\":\"resolved by the hub\"}}");

        assertThat(activity.path("name").asText()).isEqualTo("handoff.initiate");
        assertThat(handoff.redeem(activity.path("value").path("handoff").path("ticket").asText(), "hub-agent").sessionId()).isEqualTo(SessionId.of("conv-42"));
        assertThat(update.kind()).isEqualTo(PlatformUpdate.Kind.HANDED_BACK);
        assertThat(returned.get(10, TimeUnit.SECONDS).sessionId()).isEqualTo(SessionId.of("conv-42"));
    }

    @Test
    void twilio_relay_ends_with_handoff_data_and_the_action_url_enqueues_to_flex() throws Exception {
        CompletableFuture<String> socket = new CompletableFuture<>();
        TwilioBridge twilio = new TwilioBridge(handoff, "WW0123456789abcdef0123456789abcdef");

        twilio.onPrompt("CA0123456789abcdef0123456789abcdef", "Honestly, let me talk to a person.", socket::complete);
        JsonNode end = JSON.readTree(socket.get(10, TimeUnit.SECONDS));
        Map<String, String> callback = new HashMap<>();
        callback.put("CallSid", "CA0123456789abcdef0123456789abcdef");
        callback.put("SessionStatus", "ended");
        callback.put("HandoffData", end.path("handoffData").asText());
        String twiml = twilio.onRelayAction(callback);

        assertThat(end.path("type").asText()).isEqualTo("end");
        assertThat(twiml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Enqueue workflowSid=\"WW0123456789abcdef0123456789abcdef\"><Task>{\"type\":\"handoff\"")
                .contains("handoff_ticket");
    }

    @Test
    void dialogflow_webhook_answers_with_live_agent_handoff_and_a_sip_transfer() throws Exception {
        DialogflowCxBridge dialogflow = new DialogflowCxBridge(handoff, "sip:agents@pbx.example.com");

        String response = dialogflow.onWebhook("{\"sessionInfo\":{\"session\":\"projects/p/locations/global/agents/a/sessions/df-7\"},"
                + "\"text\":\"Honestly, let me talk to a person.\",\"languageCode\":\"en\"}");

        JsonNode messages = JSON.readTree(response).path("fulfillmentResponse").path("messages");
        assertThat(messages.get(1).path("liveAgentHandoff").path("metadata").path("handoff").path("ticket").asText()).isNotEmpty();
        assertThat(messages.get(2).path("telephonyTransferCall").path("sipUri").asText()).startsWith("sip:agents@pbx.example.com;x-handoff=");
        assertThat(dialogflow.onWebhook("{\"sessionInfo\":{\"session\":\"projects/p/locations/global/agents/a/sessions/df-8\"},\"text\":\"What are your hours?\"}"))
                .isEqualTo("{}");
    }

    @Test
    void connect_lambda_returns_contact_attributes_within_the_budget() throws Exception {
        AmazonConnectBridge connect = new AmazonConnectBridge(handoff);

        Map<String, String> attributes = connect.handleRequest("11111111-2222-3333-4444-555555555555", "Honestly, let me talk to a person.");

        assertThat(handoff.redeem(attributes.get("handoff_ticket"), "connect-agent").sessionId().value()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(attributes.entrySet().stream().mapToInt(e -> (e.getKey() + e.getValue()).getBytes(StandardCharsets.UTF_8).length).sum())
                .isLessThanOrEqualTo(24_000);
        assertThat(connect.handleRequest("c-2", "What are your hours?")).isEmpty();
    }

    @Test
    void genesys_bot_patches_participant_data() throws Exception {
        CompletableFuture<String> patched = new CompletableFuture<>();
        GenesysCloudBridge genesys = new GenesysCloudBridge(handoff, (conversation, body) -> patched.complete(conversation + " " + body));

        genesys.onCustomerTurn("4d1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b", "Honestly, let me talk to a person.");

        assertThat(patched.get(10, TimeUnit.SECONDS)).startsWith("4d1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b {\"attributes\":{\"handoff_ticket\":");
    }

    @Test
    void chatwoot_agent_bot_pushes_the_handoff_to_the_conversation() throws Exception {
        try (MockWebServer chatwoot = new MockWebServer()) {
            for (int i = 0; i < 4; i++) {
                chatwoot.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody("{\"id\":" + (900 + i) + "}"));
            }
            chatwoot.start();
            CrmHttpClient http = CrmHttpClient.builder("chatwoot").auth(CrmAuth.apiKey("api_access_token", "t")).allowInsecureHttpForTesting(true).build();
            ChatwootBridge bridge = new ChatwootBridge(SigningKeys.ephemeral(), http, chatwoot.url("/").toString(), 3);
            try (Handoff bot = bridge.handoff()) {
                var session = bot.open(SessionId.of("chatwoot-1042"), dev.handoff.api.Channel.CHAT, dev.handoff.api.CustomerData.UNKNOWN);
                session.handOff(session.customer("Honestly, let me talk to a person."));

                RecordedRequest attributes = chatwoot.takeRequest(10, TimeUnit.SECONDS);
                RecordedRequest note = chatwoot.takeRequest(10, TimeUnit.SECONDS);
                RecordedRequest assign = chatwoot.takeRequest(10, TimeUnit.SECONDS);
                RecordedRequest status = chatwoot.takeRequest(10, TimeUnit.SECONDS);

                assertThat(attributes.getPath()).isEqualTo("/api/v1/accounts/3/conversations/1042/custom_attributes");
                String ticket = JSON.readTree(attributes.getBody().readUtf8()).path("custom_attributes").path("handoff_ticket").asText();
                assertThat(bot.redeem(ticket, "chatwoot-agent").sessionId()).isEqualTo(SessionId.of("chatwoot-1042"));
                assertThat(note.getPath()).endsWith("/messages");
                assertThat(assign.getPath()).endsWith("/assignments");
                assertThat(status.getPath()).endsWith("/toggle_status");
            }
        }
    }
}
