package dev.handoff.codecs.chatwoot;

import static dev.handoff.codecs.CodecFixtures.PACKAGER;
import static dev.handoff.codecs.CodecFixtures.TICKETS;
import static dev.handoff.codecs.CodecFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.ValidationException;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.CodecFixtures;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRefusedException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatwootAdapterTest {

    private final MockWebServer chatwoot = new MockWebServer();
    private final ChatwootAdapter adapter;

    ChatwootAdapterTest() throws IOException {
        chatwoot.start();
        CrmHttpClient http = CrmHttpClient.builder("chatwoot").auth(CrmAuth.apiKey("api_access_token", "cw-token-123"))
                .allowInsecureHttpForTesting(true).sleeper(millis -> { }).random(() -> 0.0).build();
        adapter = ChatwootAdapter.builder(http, chatwoot.url("/").toString(), 3, ChatwootCodec.builder(PACKAGER).build())
                .teamForRoute("solutions-engineer", 7)
                .conversationId(c -> "1042")
                .build();
    }

    @AfterEach
    void stop() throws IOException {
        chatwoot.shutdown();
    }

    private void ok(String body) {
        chatwoot.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body));
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = chatwoot.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached Chatwoot").isNotNull();
        return r;
    }

    @Test
    void push_sets_attributes_posts_the_private_note_assigns_the_route_team_and_opens_the_conversation_in_that_order() throws Exception {
        ok("{\"custom_attributes\":{}}");
        ok("{\"id\":5501,\"content\":\"...\",\"private\":true}");
        ok("{\"id\":1042,\"team_id\":7}");
        ok("{\"meta\":{},\"payload\":{\"success\":true,\"current_status\":\"open\",\"conversation_id\":1042}}");
        HandoffContext context = CodecFixtures.b2b();

        CrmReceipt receipt = adapter.push(context, "handoff-" + context.contextId());

        RecordedRequest attributes = take();
        RecordedRequest note = take();
        RecordedRequest assign = take();
        RecordedRequest status = take();
        assertThat(attributes.getPath()).isEqualTo("/api/v1/accounts/3/conversations/1042/custom_attributes");
        assertThat(attributes.getHeader("api_access_token")).isEqualTo("cw-token-123");
        JsonNode attrs = json(attributes.getBody().readUtf8()).path("custom_attributes");
        assertThat(TICKETS.redeem(attrs.path("handoff_ticket").asText())).isEqualTo(context.contextId());
        assertThat(note.getPath()).isEqualTo("/api/v1/accounts/3/conversations/1042/messages");
        JsonNode message = json(note.getBody().readUtf8());
        assertThat(message.path("private").asBoolean()).isTrue();
        assertThat(message.path("content").asText()).contains("**Goal:**").contains("My real worry is API latency");
        assertThat(assign.getPath()).isEqualTo("/api/v1/accounts/3/conversations/1042/assignments");
        assertThat(json(assign.getBody().readUtf8()).path("team_id").asLong()).isEqualTo(7);
        assertThat(status.getPath()).isEqualTo("/api/v1/accounts/3/conversations/1042/toggle_status");
        assertThat(status.getBody().readUtf8()).isEqualTo("{\"status\":\"open\"}");
        assertThat(receipt).isEqualTo(new CrmReceipt("chatwoot", "5501", chatwoot.url("/app/accounts/3/conversations/1042").toString()));
    }

    @Test
    void a_503_then_success_is_retried_with_the_same_idempotency_key() throws Exception {
        chatwoot.enqueue(new MockResponse().setResponseCode(503));
        ok("{}");
        ok("{\"id\":5502}");
        ok("{}");
        ok("{}");

        adapter.push(CodecFixtures.b2b(), "handoff-k1");

        RecordedRequest first = take();
        RecordedRequest retry = take();
        assertThat(retry.getPath()).isEqualTo(first.getPath());
        assertThat(retry.getHeader("Idempotency-Key")).isEqualTo(first.getHeader("Idempotency-Key")).isEqualTo("handoff-k1:attributes");
        assertThat(chatwoot.getRequestCount()).isEqualTo(5);
    }

    @Test
    void a_404_for_an_unknown_conversation_is_final_and_nothing_else_is_sent() throws Exception {
        chatwoot.enqueue(new MockResponse().setResponseCode(404).setBody("{\"error\":\"Resource could not be found\"}"));

        assertThatThrownBy(() -> adapter.push(CodecFixtures.b2b(), "handoff-k2"))
                .isInstanceOf(CrmRefusedException.class)
                .satisfies(e -> assertThat(((CrmRefusedException) e).status()).isEqualTo(404));
        assertThat(chatwoot.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_dropped_connection_is_retried() throws Exception {
        chatwoot.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        ok("{}");
        ok("{\"id\":5503}");
        ok("{}");
        ok("{}");

        CrmReceipt receipt = adapter.push(CodecFixtures.b2b(), "handoff-k3");

        assertThat(receipt.recordId()).isEqualTo("5503");
        assertThat(chatwoot.getRequestCount()).isEqualTo(5);
    }

    @Test
    void the_default_conversation_id_is_the_number_at_the_end_of_the_session_id() {
        assertThat(ChatwootAdapter.fromSessionId(CodecFixtures.b2b())).isEqualTo("1042");
        HandoffContext bad = CodecFixtures.withSession(CodecFixtures.b2b(), "support-chat");
        assertThatThrownBy(() -> ChatwootAdapter.fromSessionId(bad))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.sessionId: a session id ending in the Chatwoot conversation number");
    }

    @Test
    void plain_http_is_refused_outside_test_mode() {
        CrmHttpClient strict = CrmHttpClient.builder("chatwoot").auth(CrmAuth.apiKey("api_access_token", "t")).build();

        assertThatThrownBy(() -> ChatwootAdapter.builder(strict, "http://chatwoot.example.com", 3, ChatwootCodec.builder(PACKAGER).build()))
                .isInstanceOf(dev.handoff.api.ConfigurationException.class).hasMessageContaining("must use https");
    }
}
