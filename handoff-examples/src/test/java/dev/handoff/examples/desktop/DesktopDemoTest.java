package dev.handoff.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.HandoffSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The desktop demo runs a real Handoff with sample traffic: a billing chat is taken by the scripted colleague through
 * core's agent-side handle (greeting, commitments confirmed, handed back), a support chat waits in the queue for the
 * person at the desk, and the supervisor's wallboard shows both.
 */
class DesktopDemoTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static int signIn(HttpClient http, DesktopDemo demo, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(demo.desk().baseUri().resolve("/api/session"))
                        .header("Origin", "http://127.0.0.1:" + demo.desk().port()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"credential\":\"" + token + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void sample_traffic_reaches_the_desktop_and_the_wallboard_through_a_real_handoff() throws Exception {
        try (DesktopDemo demo = new DesktopDemo(0, Duration.ofMillis(100))) {
            List<HandoffEvent> events = new CopyOnWriteArrayList<>();
            CompletableFuture<HandoffEvent.ReturnedToBot> handedBack = new CompletableFuture<>();
            CompletableFuture<HandoffEvent.TransferStarted> offeredToSupport = new CompletableFuture<>();
            demo.handoff().addListener(e -> {
                events.add(e);
                if (e instanceof HandoffEvent.TransferStarted t && t.target().id().equals("support")) {
                    offeredToSupport.complete(t);
                }
                if (e instanceof HandoffEvent.ReturnedToBot r && r.reason().startsWith("handed back by ben")) {
                    handedBack.complete(r);
                }
            });
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            demo.printWelcome(new PrintStream(printed, true, StandardCharsets.UTF_8));

            // ana (support) signs in at the desk, which makes her available on the support queue
            HttpClient anaHttp = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertThat(signIn(anaHttp, demo, DesktopDemo.ANA_TOKEN)).isEqualTo(200);
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertThat(signIn(http, demo, DesktopDemo.SUE_TOKEN)).isEqualTo(200);
            URI base = demo.desk().baseUri();

            HandoffSession dana = demo.traffic().startNext();    // asks for a person: support, offered to ana
            HandoffSession marco = demo.traffic().startNext();   // billing: the scripted colleague takes it

            HandoffEvent.ReturnedToBot back = handedBack.get(30, TimeUnit.SECONDS);
            assertThat(back.sessionId()).isEqualTo(marco.id());
            assertThat(events).filteredOn(e -> e instanceof HandoffEvent.AgentMessage m && m.sessionId().equals(marco.id()))
                    .singleElement().satisfies(e -> assertThat(((HandoffEvent.AgentMessage) e).agentId()).isEqualTo("ben"));
            assertThat(events).anyMatch(e -> e instanceof HandoffEvent.CommitmentUpdated u && u.sessionId().equals(marco.id()));

            assertThat(offeredToSupport.get(30, TimeUnit.SECONDS).sessionId()).isEqualTo(dana.id());
            JsonNode board = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/wallboard")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(board.path("handoffs")).anySatisfy(h -> {
                assertThat(h.path("label").asText()).startsWith("Dana Whitfield · chat #");
                assertThat(h.path("target").asText()).isEqualTo("support");
            });
            assertThat(board.path("queues")).anySatisfy(q -> {
                assertThat(q.path("name").asText()).isEqualTo("support");
                assertThat(q.path("depth").asInt()).isEqualTo(1);
            });
            assertThat(dana.owner()).isEqualTo(HandoffSession.Owner.HANDOFF_IN_PROGRESS);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains(demo.desk().signInUri().toString(), DesktopDemo.ANA_TOKEN,
                    DesktopDemo.SUE_TOKEN, demo.desk().wallboardUri().toString());
        }
    }
}
