package dev.handoff.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.codecs.botframework.BotFrameworkCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationPackager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The module README's "Use" block (a region checked by handoff-examples' ReadmeSnippetsTest), run on a real
 * {@code Handoff}: the in-process chat queue stands in for the Bot Framework hub's agent.
 */
class ReadmeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Test
    void the_readme_block_sends_handoff_initiate_and_a_completed_status_hands_the_chat_back() throws Exception {
        String incomingActivityJson = "{\"type\":\"message\",\"id\":\"a-1\",\"conversation\":{\"id\":\"conv-42\"}}";
        String statusActivityJson = "{\"type\":\"event\",\"name\":\"handoff.status\",\"conversation\":{\"id\":\"conv-42\"},"
                + "\"value\":{\"state\":\"completed\",\"message\":\"resolved by the hub\"}}";
        CompletableFuture<HandoffEvent.ContextPackaged> packagedEvent = new CompletableFuture<>();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        CompletableFuture<HandoffEvent.ReturnedToBot> returned = new CompletableFuture<>();

        try (Handoff handoff = Handoff.builder().build()) {
            handoff.addListener(e -> {
                if (e instanceof HandoffEvent.ContextPackaged p) {
                    packagedEvent.complete(p);
                }
                if (e instanceof HandoffEvent.PhaseChanged p && p.phase() == HandoffPhase.CONNECTED) {
                    connected.complete(null);
                }
                if (e instanceof HandoffEvent.ReturnedToBot r) {
                    returned.complete(r);
                }
            });
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            HandoffSession chat = handoff.open(SessionId.of("conv-42"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
            chat.handOff(chat.customer("Honestly, let me talk to a person."));
            HandoffEvent.ContextPackaged packaged = packagedEvent.get(10, TimeUnit.SECONDS);
            support.take("alice", Duration.ofSeconds(10)).orElseThrow().accept();
            connected.get(10, TimeUnit.SECONDS);

            // tag::use[]
            DestinationPackager destinations = new DestinationPackager(handoff.signer(), handoff.tickets(), ComplianceProfile.DEFAULT);
            BotFrameworkCodec botFramework = BotFrameworkCodec.builder(destinations).build();

            // when Handoff has packaged the context (listen for HandoffEvent.ContextPackaged; redeem its ticket)
            HandoffContext context = handoff.redeem(packaged.ticket(), "botframework");
            PlatformPayload activity = botFramework.initiate(context, incomingActivityJson);
            send(activity.body());                                   // activity.form(): FULL, SUMMARY or TICKET_ONLY; activity.note()

            // the channel answers
            PlatformUpdate update = botFramework.parseStatus(statusActivityJson);
            handoff.agentActions(context.contextId()).ifPresent(update::applyTo);   // "completed" hands the conversation back
            // end::use[]

            JsonNode initiate = JSON.readTree(sent.get(0));
            assertThat(sent).hasSize(1);
            assertThat(initiate.path("name").asText()).isEqualTo("handoff.initiate");
            assertThat(initiate.path("value").path("handoff").path("ticket").asText()).isNotBlank();
            assertThat(update.kind()).isEqualTo(PlatformUpdate.Kind.HANDED_BACK);
            assertThat(returned.get(10, TimeUnit.SECONDS).sessionId()).isEqualTo(SessionId.of("conv-42"));
        }
    }

    private void send(String activityJson) {
        sent.add(activityJson);
    }
}
