package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.llm.OpenAiCompatibleSummarizer;
import dev.handoff.core.store.FileCommitmentLedger;
import dev.handoff.core.store.FileContextStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * handoff-core README blocks (regions checked by handoff-examples' ReadmeSnippetsTest): the agent-side handle, the
 * durable wiring, the LLM observer and the per-destination copy. The durable wiring and the LLM observer are compiled,
 * not run (they name production paths and the OpenAI endpoint; DurableContextEndToEndTest, CommitmentDeadlineEndToEndTest
 * and OpenAiCompatibleSummarizerTest run the same calls); the agent-side handle and the destination copy run.
 */
class ReadmeContextTest {

    private final List<Object> sent = new ArrayList<>();

    @Test
    void the_agent_side_calls_verify_relay_and_hand_back_in_the_readme_order() throws Exception {
        InMemoryAuditSink audit = new InMemoryAuditSink();
        List<HandoffEvent> events = new CopyOnWriteArrayList<>();
        try (Handoff handoff = Handoff.builder().auditSink(audit).listener(events::add).build()) {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            CompletableFuture<Optional<Offer>> offered = support.next("alice", Duration.ofSeconds(10));
            HandoffSession chat = handoff.open(SessionId.of("chat-double-charge"), Channel.CHAT, CustomerData.UNKNOWN);
            chat.customer("You charged me twice this month.");
            chat.ai("I'm sorry. I've applied a 15% discount and waived the shipping fee.");
            CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture();
            Offer offer = offered.get(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(offer.accept()).isTrue();
            assertThat(outcome.get(10, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            // what the desktop's notifier receives; its handle is the one Handoff.agentActions gives
            AgentNotification notification = new AgentNotification(offer.request().target(),
                    handoff.redeem(offer.ticket(), "alice"), offer.ticket(), handoff.agentActions(offer.contextId()).orElseThrow());

            // tag::agent-actions[]
            AgentActions actions = notification.actions();          // or handoff.agentActions(offer.contextId())
            actions.confirmRead("alice");                            // ends the whisper lead: the voice bridge happens now
            actions.correct("c-1", "10%", "alice");                  // CommitmentUpdated, COMMITMENT_CORRECTED, VERIFIED when none is left
            actions.from("203.0.113.9").confirm("c-2", "alice");     // the same handle; its audit records name the client address
            actions.send("alice", "Hi, I'm Alice; I can see the double charge.");   // chat relay: an AGENT turn + AgentMessage
            actions.handBack("alice", "resolved; only needs a receipt");   // last: RETURNED_TO_BOT; the bot hears the HANDED_BACK line
            // end::agent-actions[]

            assertThat(actions.commitments()).extracting(c -> c.id() + " " + c.status() + " " + c.correctedValue())
                    .containsExactly("c-1 CORRECTED 10%", "c-2 CONFIRMED null");
            assertThat(events).filteredOn(e -> e instanceof HandoffEvent.AgentMessage)
                    .extracting(e -> ((HandoffEvent.AgentMessage) e).turn().text())
                    .containsExactly("Hi, I'm Alice; I can see the double charge.");
            assertThat(events).filteredOn(e -> e instanceof HandoffEvent.ReturnedToBot).hasSize(1);
            assertThat(audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.COMMITMENT_CONFIRMED)
                    .extracting(AuditRecord::clientAddress).containsExactly("203.0.113.9");
        }
    }

    static Handoff durable(byte[] keyBytes, AgentNotification notification) {
        // tag::durable-commitments[]
        Handoff handoff = Handoff.builder()
                .commitmentLedger(FileCommitmentLedger.open(Path.of("/var/lib/handoff/commitments.journal"), Clock.systemUTC()))
                .contextStore(FileContextStore.open(Path.of("/var/lib/handoff/contexts.journal")))
                .commitmentDeadline(Duration.ofSeconds(60))          // the default
                .signingKeys(SigningKeys.of("k-2026-11", keyBytes))
                .build();

        // on the agent desktop, within the first minute: the notification's handle (or handoff.agentActions(contextId))
        notification.actions().correct("c-1", "10%", "alice@example.com");
        // end::durable-commitments[]
        return handoff;
    }

    static Handoff llmObserver() {
        // tag::llm-observer[]
        Summarizer observer = OpenAiCompatibleSummarizer.builder("https://api.openai.com/v1", "gpt-4o-mini")
                .apiKey(System.getenv("OPENAI_API_KEY"))   // never logged
                .timeout(Duration.ofSeconds(5))              // default 8 s for the whole call
                .build();
        Handoff handoff = Handoff.builder().summarizer(observer).build();
        // end::llm-observer[]
        return handoff;
    }

    @Test
    void a_long_context_goes_to_a_16k_destination_as_a_summary_with_its_ticket() {
        HandoffContext context = LongConversation.context(300);

        try (Handoff handoff = Handoff.builder().build()) {
            // tag::destination-copy[]
            DestinationPackager destinations = new DestinationPackager(handoff.signer(), handoff.tickets(),
                    new ComplianceProfile("pci", Redactor.builder().pattern("member-id", "M-\\d{6}").build()));
            Envelope e = destinations.forDestination(context, DestinationLimits.of("hubspot-note", false, 16_000));
            switch (e.form()) { case FULL, SUMMARY -> send(e.context()); case TICKET_ONLY -> send(e.ticket()); }
            // end::destination-copy[]

            assertThat(e.form()).isEqualTo(Envelope.Form.SUMMARY);
            assertThat(e.bytes()).isLessThanOrEqualTo(16_000);
            assertThat(e.sentTurns()).isLessThan(300);
            assertThat(e.totalTurns()).isEqualTo(300);
            assertThat(sent).containsExactly(e.context());
        }
    }

    private void send(HandoffContext copy) {
        sent.add(copy);
    }

    private void send(String ticket) {
        sent.add(ticket);
    }
}
