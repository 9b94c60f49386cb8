package dev.handoff.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.desktop.AgentDesktop;
import dev.handoff.examples.cluster.ClusterTimeline.Entry;
import dev.handoff.examples.cluster.ClusterTimeline.Step;
import dev.handoff.examples.phone.DemoSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The two-instance demo end to end: a real PostgreSQL, instances a and b, b's desktop. The bot on a hands off, an
 * agent on b takes it and writes to the customer through a; the timeline shows each step on the instance that did it, in the order it happened, and the
 * demo stops everything it started.
 */
class TwoInstanceDemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "test-desk-token-0123456789";   // DemoSettings.forTests()'s

    @Test
    void a_chat_handed_off_on_a_is_redeemed_and_accepted_by_the_agent_on_b() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        TwoInstanceDemo.Result r = TwoInstanceDemo.run(DemoSettings.forTests(), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(r.outcome().status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(r.outcome().connected()).hasValueSatisfying(c -> assertThat(c.agentId()).isEqualTo("bob"));
        assertThat(r.redeemedOnB()).hasValueSatisfying(context -> {
            assertThat(context.contextId()).isEqualTo(r.packagedOnA());
            assertThat(context.transcript()).last().satisfies(t -> assertThat(t.text()).contains("Let me talk to a person"));
        });
        assertThat(r.offerRow()).isEqualTo("ACCEPTED by bob, made by instance a");
        // every step is caused by the one before it, so this order holds however the threads are scheduled
        assertThat(stepsWithInstances(r.timeline())).containsExactly(
                "a TRIGGER", "a PACKAGED", "a OFFERED", "b OFFER_SEEN", "b REDEEMED", "b ACCEPTED", "a CONNECTED",
                "b AGENT_WROTE", "a DELIVERED");
        // bob on b wrote; a, which owns the customer's chat, applied it and its bot host got the message
        assertThat(r.timeline()).filteredOn(e -> e.step() == Step.DELIVERED).singleElement()
                .satisfies(e -> assertThat(e.what()).contains("bob's message", TwoInstanceDemo.AGENT_GREETING));
        assertThat(r.timeline()).noneMatch(e -> e.step() == Step.RETURNED);
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Outcome on a: CONNECTED to bob (an agent on b)", "audit TICKET_REDEEMED ok by bob",
                "In PostgreSQL: the offer is ACCEPTED by bob, made by instance a", "Context " + r.packagedOnA() + " redeemed on b");
        assertStopped(r);
    }

    @Test
    void a_person_at_b_s_desktop_sees_the_offer_made_on_a_and_accepts_it() throws Exception {
        CompletableFuture<Person> person = new CompletableFuture<>();

        TwoInstanceDemo.Result r = TwoInstanceDemo.run(DemoSettings.forTests(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false, desk -> person.complete(Person.signIn(desk)));

        // what the person's accept did, as a and b recorded it (the answer to that request itself may be cut off: the
        // demo stops the desktop as soon as the handoff is connected and accepted)
        assertThat(person).isCompleted();
        assertThat(r.outcome().status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(r.outcome().connected()).hasValueSatisfying(c -> assertThat(c.agentId()).isEqualTo("ana"));
        assertThat(r.offerRow()).isEqualTo("ACCEPTED by ana, made by instance a");
        // b's lines here are its audit records, written after the desktop acted: each comes after the offer was made on a,
        // but a may record CONNECTED before b has written its OFFER_ACCEPTED record
        List<String> steps = stepsWithInstances(r.timeline());
        assertThat(steps).startsWith("a TRIGGER", "a PACKAGED", "a OFFERED")
                .containsExactlyInAnyOrder("a TRIGGER", "a PACKAGED", "a OFFERED", "b OFFER_SEEN", "b ACCEPTED", "a CONNECTED");
        assertThat(r.timeline()).filteredOn(e -> e.step() == Step.ACCEPTED).singleElement()
                .satisfies(e -> assertThat(e.what()).isEqualTo("audit OFFER_ACCEPTED accepted by ana (context " + r.packagedOnA() + ")"));
        assertStopped(r);
    }

    private static List<String> stepsWithInstances(List<Entry> timeline) {
        return timeline.stream().filter(e -> e.step() != Step.OTHER).map(e -> e.instance() + " " + e.step()).toList();
    }

    /** The database and the desktop were stopped: nothing answers where they were. */
    private static void assertStopped(TwoInstanceDemo.Result r) {
        assertThatThrownBy(() -> DriverManager.getConnection(r.jdbcUrl(), "postgres", "").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("Connection to localhost");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(r.desktop().resolve("/signin")).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(ConnectException.class);
    }

    /** Ana at b's desktop, over its HTTP API and socket as the page uses them: signs in, waits for an offer, accepts it. */
    static final class Person implements WebSocket.Listener {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        final CompletableFuture<Integer> accepted = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        URI base;
        String origin;

        static Person signIn(AgentDesktop desk) {
            Person p = new Person();
            p.base = desk.baseUri();
            p.origin = "http://127.0.0.1:" + desk.port();
            try {
                int status = p.post("api/session", "{\"credential\":\"" + TOKEN + "\"}").statusCode();
                if (status != 200) {
                    throw new AssertionError("sign-in answered " + status);
                }
                p.http.newWebSocketBuilder().header("Origin", p.origin)
                        .buildAsync(URI.create(p.base.resolve("ws").toString().replaceFirst("^http", "ws")), p)
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.accepted.completeExceptionally(e);
            }
            return p;
        }

        HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Origin", origin).header("Content-Type", "application/json")
                    .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            socket.request(1);
            if (!last) {
                return null;
            }
            String text = partial.toString();
            partial.setLength(0);
            try {
                JsonNode msg = JSON.readTree(text);
                if ("offer".equals(msg.path("type").asText()) && !accepted.isDone()) {
                    String offerId = msg.path("offerId").asText();
                    http.sendAsync(HttpRequest.newBuilder(base.resolve("api/offers/" + offerId + "/accept")).header("Origin", origin)
                                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofString())
                            .whenComplete((answer, error) -> {
                                if (error != null) {
                                    accepted.completeExceptionally(error);
                                } else {
                                    accepted.complete(answer.statusCode());
                                }
                            });
                }
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
            return null;
        }
    }
}
