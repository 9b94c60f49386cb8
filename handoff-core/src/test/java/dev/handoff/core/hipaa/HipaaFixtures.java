package dev.handoff.core.hipaa;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** One real chat handoff on defaults, with a patient who says protected things, for the HIPAA safeguard tests. */
final class HipaaFixtures {

    static final String PHI_SENTENCE = "My SSN is 123-45-6789, born 03/04/1988, card 4111 1111 1111 1111, mail pat@example.com";

    private HipaaFixtures() {
    }

    /** Hands a chat to agent {@code alice} through the in-process queue and returns the outcome. */
    static HandoffOutcome handOffToAlice(Handoff handoff, String sessionId) throws Exception {
        ExecutorService agent = Executors.newSingleThreadExecutor();
        try {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            agent.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(offer -> offer.accept()));
            HandoffSession chat = handoff.open(SessionId.of(sessionId), Channel.CHAT, CustomerData.of("pat-1", Map.of("ehr", "MRN-77")));
            chat.customer(PHI_SENTENCE);
            return chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            agent.shutdownNow();
        }
    }
}
