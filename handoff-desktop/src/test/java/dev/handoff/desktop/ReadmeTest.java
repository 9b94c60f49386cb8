package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's few lines (the region below, checked by handoff-examples' ReadmeSnippetsTest): a token file, the desktop, a Handoff, start, sign in. */
class ReadmeTest {

    @TempDir
    Path dir;

    @Test
    void the_readme_lines_start_a_desktop_people_can_sign_in_to() throws Exception {
        Path agents = dir.resolve("agents.json");
        Files.writeString(agents, "{\"agents\": ["
                + "{\"id\": \"ana\", \"name\": \"Ana Lopez\", \"role\": \"AGENT\", \"tenant\": \"northwind\", \"queues\": [\"support\"],"
                + " \"skills\": [\"es\"], \"tokenSha256\": \"" + StaticTokenAuthenticator.sha256("ana-readme-token-0001") + "\"},"
                + "{\"id\": \"sue\", \"name\": \"Sue Park\", \"role\": \"SUPERVISOR\", \"tenant\": \"northwind\", \"tokenSha256\": \""
                + StaticTokenAuthenticator.sha256("sue-readme-token-0001") + "\"}]}");

        // tag::start-desktop[]
        AgentDesktop desk = AgentDesktop.builder(StaticTokenAuthenticator.fromFile(agents)).build();
        Handoff handoff = Handoff.builder().agentNotifier(desk).build();
        desk.start(handoff);                                   // 127.0.0.1, a free port
        System.out.println("Sign in at " + desk.signInUri());  // the wallboard is at desk.wallboardUri()
        // end::start-desktop[]

        try (desk; handoff; DeskClient ana = DeskClient.signedIn(desk, "ana-readme-token-0001");
             DeskClient sue = DeskClient.signedIn(desk, "sue-readme-token-0001")) {
            assertThat(desk.signInUri().toString()).matches("http://127\\.0\\.0\\.1:\\d+/signin");
            assertThat(desk.port()).isNotEqualTo(8080);
            assertThat(ana.get("/").status()).isEqualTo(200);
            assertThat(sue.get(desk.wallboardUri().getPath()).status()).isEqualTo(200);
        }
    }

    /** The bot host's own channel to the customer (web chat, SMS, WhatsApp) in the README's relay lines. */
    interface CustomerChannel {
        void sendToCustomer(SessionId session, String text);
    }

    @Test
    void the_readme_relay_lines_deliver_the_agents_message_and_record_the_customers_answer() throws Exception {
        BlockingQueue<String> toCustomer = new LinkedBlockingQueue<>();
        CustomerChannel chat = (id, text) -> toCustomer.add(id.value() + ": " + text);
        try (Handoff handoff = Handoff.builder().build()) {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("ana");
            CompletableFuture<Optional<Offer>> offer = support.next("ana", Duration.ofSeconds(30));
            HandoffSession session = handoff.open(SessionId.of("readme-relay"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
            session.customer("My parcel 8812 is late");
            CompletableFuture<HandoffOutcome> outcome = session.handOff(session.customer("let me talk to a person")).toCompletableFuture();
            assertThat(offer.get(30, TimeUnit.SECONDS).orElseThrow().accept()).isTrue();
            AgentActions actions = handoff.agentActions(outcome.get(30, TimeUnit.SECONDS).contextId()).orElseThrow();
            String textFromTheCustomer = "Is anyone there?";

            // tag::chat-relay[]
            handoff.addListener(event -> {
                if (event instanceof HandoffEvent.AgentMessage m) {
                    chat.sendToCustomer(m.sessionId(), m.turn().text());   // your channel: web chat, SMS, WhatsApp
                }
            });
            session.customer(textFromTheCustomer);   // as always; while a human owns the chat it goes to their desk
            // end::chat-relay[]

            actions.send("ana", "Hi, I'm Ana. Let me check parcel 8812.");
            assertThat(toCustomer.poll(30, TimeUnit.SECONDS)).isEqualTo("readme-relay: Hi, I'm Ana. Let me check parcel 8812.");
            assertThat(session.turns()).extracting(t -> t.speaker() + ": " + t.text())
                    .endsWith("CUSTOMER: Is anyone there?", "AGENT: Hi, I'm Ana. Let me check parcel 8812.");
            HandoffDecision later = session.customer("Thank you");
            assertThat(later.action()).as("a human owns the chat: no trigger evaluation").isEqualTo(HandoffDecision.Action.CONTINUE);
        }
    }
}
