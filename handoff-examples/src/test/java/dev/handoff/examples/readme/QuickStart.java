package dev.handoff.examples.readme;

// The root README's quick start. Everything between the tag lines is the README's code block, character for character
// (ReadmeSnippetsTest checks it); QuickStartTest runs it. A consumer copies it into a file of its own and runs it.
// tag::quick-start[]
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.context.SigningKeys;
import java.time.Duration;
import java.util.Map;

public class QuickStart {

    public static void main(String[] args) {
        // in production: the same 32+ secret bytes on every instance, from your secret store: SigningKeys.of(id, bytes)
        SigningKeys keys = SigningKeys.ephemeral();

        try (Handoff handoff = Handoff.builder()        // every SPI has a default; ServiceLoader providers are picked up
                .signingKeys(keys)
                .build()) {

            // the agent side first: Alice signs in to the in-process "support" chat queue and waits for an offer
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            support.next("alice", Duration.ofMinutes(1)).thenAccept(offer -> offer.ifPresent(o -> {
                HandoffContext context = handoff.redeem(o.ticket(), "alice");   // verified, audited as alice
                System.out.println("Alice reads the whisper first: " + context.whisper().goal());
                o.accept();
            }));

            // the bot side: record every turn; each one returns a decision
            HandoffSession chat = handoff.open(SessionId.of("chat-42"), Channel.CHAT,
                    CustomerData.of("cus-1", Map.of("billing", "AC-9")));
            chat.ai("Which invoice is it?", NluSignals.confidence(0.91));
            HandoffDecision decision = chat.customer("let me talk to a person");
            if (decision.isHandoff()) {
                // a bot never blocks: it reacts in thenAccept; this program joins only so that it can close
                HandoffOutcome outcome = chat.handOff(decision).toCompletableFuture().join();
                // CONNECTED: a human owns the chat, the bot stays silent.
                // RETURNED_TO_BOT: nobody could take it; the bot resumes with outcome.summaryForBot().
                System.out.println(outcome.status() + " "
                        + outcome.connected().map(target -> "to " + target.agentId()).orElse(outcome.summaryForBot()));
            }
        }
    }
}
// end::quick-start[]
