package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.llm.OpenAiCompatibleSummarizer;
import dev.handoff.core.store.FileCommitmentLedger;
import dev.handoff.core.store.FileContextStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * handoff-core README blocks (regions checked by handoff-examples' ReadmeSnippetsTest): the agent-side handle, the
 * durable wiring, the LLM observer and the per-destination copy. The first three are compiled, not run (they name
 * production paths, an agent's live handoff or the OpenAI endpoint; AgentRelayTest, CommitmentDeadlineEndToEndTest,
 * DurableContextEndToEndTest and OpenAiCompatibleSummarizerTest run the same calls); the last one runs.
 */
class ReadmeContextTest {

    private final List<Object> sent = new ArrayList<>();

    static void agentSide(AgentNotification notification) {
        // tag::agent-actions[]
        AgentActions actions = notification.actions();          // or handoff.agentActions(offer.contextId())
        actions.confirmRead("alice");                            // ends the whisper lead: the voice bridge happens now
        actions.correct("c-1", "10%", "alice");                  // CommitmentUpdated, COMMITMENT_CORRECTED, VERIFIED when none is left
        actions.send("alice", "Hi, I'm Alice; I can see the double charge.");   // chat relay: an AGENT turn + AgentMessage
        actions.handBack("alice", "resolved; only needs a receipt");   // RETURNED_TO_BOT; the bot hears the HANDED_BACK line
        actions.from("203.0.113.9").confirm("c-2", "alice");     // the same handle; its audit records name the client address
        // end::agent-actions[]
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
