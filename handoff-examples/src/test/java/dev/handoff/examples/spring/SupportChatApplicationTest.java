package dev.handoff.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.desktop.AgentDesktop;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring Boot example end to end over real HTTP: a customer chats with the bot through the application's API on
 * Tomcat, asks for a person, and Ana, signed in at the agent desktop (its HTTP API and WebSocket, as the page uses
 * them), takes the offer and opens the conversation. Asserts what each of them sees. The application is configured
 * by its own {@code application.yml}; the test moves only the journals to a temporary directory, lets the desktop
 * pick a free port and keeps the audit trail in memory to count redemptions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "support-chat.desk-port=0")
class SupportChatApplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path journals;

    @DynamicPropertySource
    static void journals(DynamicPropertyRegistry registry) {
        registry.add("handoff.store.file.directory", () -> journals.resolve("handoff").toString());
    }

    @TestConfiguration
    static class Audit {
        /** The application's AuditSink bean wins over the starter's default: here one the test can read. */
        @Bean
        InMemoryAuditSink auditSink() {
            return new InMemoryAuditSink();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    AgentDesktop desk;

    @Autowired
    InMemoryAuditSink audit;

    @Value("${support-chat.agent-token}")
    String anaToken;

    final HttpClient customer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void a_customer_asks_for_a_person_and_ana_takes_the_chat_knowing_everything_already_said() throws Exception {
        // Ana signs in at the desktop (she is in the support queue from now on) and keeps her page's socket open
        Desk ana = Desk.signIn(desk, anaToken);
        try {
            chatWithAna(ana);
        } finally {
            ana.post("api/session/sign-out", null);
        }
    }

    private void chatWithAna(Desk ana) throws Exception {
        assertThat(ana.next("hello").path("agent").path("id").asText()).isEqualTo("ana");

        // the customer chats with the bot, then asks for a person
        String chatId = post(api("/api/chats"), "{\"customerId\":\"cus-7\",\"name\":\"Dana Whitfield\"}").path("chatId").asText();
        JsonNode first = post(api("/api/chats/" + chatId + "/messages"),
                "{\"text\":\"Hi, please move account AC-4471 from the Basic plan to Pro from March 1\"}");
        assertThat(first.path("handingOff").asBoolean()).isFalse();
        assertThat(first.path("reply").asText()).isEqualTo("Pro is 29 euros a month. Plan changes are made by our support team.");
        JsonNode ask = post(api("/api/chats/" + chatId + "/messages"), "{\"text\":\"let me talk to a person please\"}");
        assertThat(ask.path("handingOff").asBoolean()).isTrue();
        assertThat(ask.path("reply").asText()).contains("bringing in a person").contains("won't have to repeat");

        // Ana's page gets the offer, whisper first, and she accepts it
        JsonNode offer = ana.next("offer");
        String contextId = offer.path("contextId").asText();
        assertThat(offer.path("queue").asText()).isEqualTo("support");
        assertThat(ana.post("api/offers/" + offer.path("offerId").asText() + "/accept", null).statusCode()).isEqualTo(200);

        // the customer is told, explicitly, who has the chat now: as the outcome, and as a line in the chat
        JsonNode outcome = get(api("/api/chats/" + chatId + "/outcome"));
        assertThat(outcome.path("status").asText()).isEqualTo("CONNECTED");
        assertThat(outcome.path("agent").asText()).isEqualTo("ana");
        assertThat(outcome.path("message").asText()).isEqualTo("You're now chatting with Ana Lopez from support."
                + " They can see our whole conversation, so there's no need to repeat anything.");
        JsonNode told = get(api("/api/chats/" + chatId + "/messages?after=4"));
        assertThat(told).hasSize(1);
        assertThat(told.get(0).path("text").asText()).isEqualTo(outcome.path("message").asText());

        // Ana opens the conversation: the desktop redeems the ticket through core and shows the packaged context
        HttpResponse<String> opened = ana.post("api/handoffs/" + contextId + "/open", null);
        assertThat(opened.statusCode()).isEqualTo(200);
        JsonNode context = JSON.readTree(opened.body()).path("context");
        assertThat(customerSaid(context)).contains("Hi, please move account AC-4471 from the Basic plan to Pro from March 1",
                "let me talk to a person please");
        assertThat(context.path("customer").path("customerId").asText()).isEqualTo("cus-7");
        assertThat(context.path("customer").path("fields").path("name").asText()).isEqualTo("Dana Whitfield");

        // she writes first, with the facts she was given; the customer reads it without having repeated anything
        String anaWrites = "Hi Dana, I'm moving AC-4471 to Pro from March 1 now.";
        assertThat(ana.post("api/handoffs/" + contextId + "/messages", JSON.createObjectNode().put("text", anaWrites).toString())
                .statusCode()).isEqualTo(200);
        JsonNode lines = get(api("/api/chats/" + chatId + "/messages?after=5"));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("from").asText()).isEqualTo("agent");
        assertThat(lines.get(0).path("text").asText()).isEqualTo(anaWrites);

        // a reload of her page opens it again from the desktop; the single-use ticket was redeemed once, by ana
        assertThat(ana.post("api/handoffs/" + contextId + "/open", null).statusCode()).isEqualTo(200);
        List<AuditRecord> redeemed = audit.records().stream()
                .filter(r -> r.action() == AuditRecord.Action.TICKET_REDEEMED && contextId.equals(r.contextId())).toList();
        assertThat(redeemed).hasSize(1);
        assertThat(redeemed.get(0).actor()).isEqualTo("ana");
        assertThat(redeemed.get(0).outcome()).isEqualTo("ok");
    }

    @Test
    void with_nobody_at_the_desk_the_customer_is_told_and_the_bot_carries_on() throws Exception {
        String chatId = post(api("/api/chats"), "{\"customerId\":\"cus-9\",\"name\":\"Sam\"}").path("chatId").asText();

        JsonNode ask = post(api("/api/chats/" + chatId + "/messages"), "{\"text\":\"let me talk to a person please\"}");
        JsonNode outcome = get(api("/api/chats/" + chatId + "/outcome"));
        JsonNode told = get(api("/api/chats/" + chatId + "/messages?after=2"));
        JsonNode next = post(api("/api/chats/" + chatId + "/messages"), "{\"text\":\"what are your opening hours?\"}");

        assertThat(ask.path("handingOff").asBoolean()).isTrue();
        assertThat(outcome.path("status").asText()).isEqualTo("RETURNED_TO_BOT");
        assertThat(outcome.path("agent").isNull()).isTrue();
        assertThat(outcome.path("message").asText()).contains("keep helping you").contains("nobody will ask you to repeat it");
        assertThat(told).hasSize(1);
        assertThat(told.get(0).path("from").asText()).isEqualTo("bot");
        assertThat(told.get(0).path("text").asText()).isEqualTo(outcome.path("message").asText());
        assertThat(next.path("handingOff").asBoolean()).isFalse();
        assertThat(next.path("reply").asText()).isEqualTo("We're open Monday to Friday, 8am to 6pm.");
    }

    @Test
    void bad_requests_name_the_field_and_an_unknown_chat_is_404() throws Exception {
        String chatId = post(api("/api/chats"), "{\"customerId\":\"cus-8\",\"name\":\"Lee\"}").path("chatId").asText();

        HttpResponse<String> blank = send(HttpRequest.newBuilder(api("/api/chats/" + chatId + "/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"  \"}")).build());
        HttpResponse<String> tooLong = send(HttpRequest.newBuilder(api("/api/chats/" + chatId + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + "a".repeat(2_001) + "\"}")).build());
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(api("/api/chats/chat-nope/outcome")).build());
        HttpResponse<String> noHandoff = send(HttpRequest.newBuilder(api("/api/chats/" + chatId + "/outcome")).build());

        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(blank.body()).path("message").asText()).isEqualTo("text: expected a non-blank string");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).path("message").asText())
                .isEqualTo("text: expected at most 2000 characters, was 2001");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(noHandoff.statusCode()).isEqualTo(409);
    }

    private static List<String> customerSaid(JsonNode context) {
        List<String> said = new ArrayList<>();
        for (JsonNode turn : context.path("transcript")) {
            if ("CUSTOMER".equals(turn.path("speaker").asText())) {
                said.add(turn.path("text").asText());
            }
        }
        return said;
    }

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private JsonNode post(URI uri, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).timeout(WAIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as("POST %s: %s", uri, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).timeout(WAIT).GET().build());
        assertThat(r.statusCode()).as("GET %s: %s", uri, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return customer.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Ana at the agent desktop, over its HTTP API and socket as the page uses them. */
    static final class Desk implements WebSocket.Listener {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        URI base;
        String origin;

        static Desk signIn(AgentDesktop desk, String token) throws Exception {
            Desk d = new Desk();
            d.base = desk.baseUri();
            d.origin = "http://127.0.0.1:" + desk.port();
            HttpResponse<String> session = d.post("api/session", JSON.createObjectNode().put("credential", token).toString());
            assertThat(session.statusCode()).as("desktop sign-in").isEqualTo(200);
            d.http.newWebSocketBuilder().header("Origin", d.origin)
                    .buildAsync(URI.create(d.base.resolve("ws").toString().replaceFirst("^http", "ws")), d)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return d;
        }

        /** The next socket message of this type (others skipped); fails after 30 s. */
        JsonNode next(String type) throws InterruptedException {
            while (true) {
                JsonNode m = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(m).as("a %s message on the desk socket within %s", type, WAIT).isNotNull();
                if (type.equals(m.path("type").asText())) {
                    return m;
                }
            }
        }

        HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).header("Origin", origin)
                    .header("Content-Type", "application/json")
                    .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            socket.request(1);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException("the desktop sent bad JSON", e);
                }
                partial.setLength(0);
            }
            return null;
        }
    }
}
