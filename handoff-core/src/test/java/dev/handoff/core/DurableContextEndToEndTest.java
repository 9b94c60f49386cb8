package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.routing.DefaultRouter;
import dev.handoff.core.store.FileContextStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableContextEndToEndTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    @Test
    void a_ticket_issued_before_a_restart_redeems_the_same_signed_context_after_it() throws Exception {
        Path journal = dir.resolve("contexts.journal");
        HandoffOutcome outcome;
        HandoffContext before;
        try (FileContextStore store = FileContextStore.open(journal);
             Handoff handoff = Handoff.builder().contextStore(store).signingKeys(KEYS)
                     .router(new DefaultRouter(Target.queue("closed"), null, List.of()))
                     .transferTimeout(Duration.ofMillis(200)).build()) {
            handoff.chatQueues().orElseThrow().queue("closed").close();
            HandoffSession session = handoff.open(SessionId.of("chat-restart"), Channel.CHAT, CustomerData.UNKNOWN);
            session.customer("My invoice shows a charge I don't recognise");
            outcome = session.handOff(session.customer("let me talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            before = handoff.redeem(outcome.ticket(), "agent-1");
        }

        try (FileContextStore store = FileContextStore.open(journal);
             Handoff restarted = Handoff.builder().contextStore(store).signingKeys(KEYS).build()) {
            HandoffContext after = restarted.redeem(outcome.ticket(), "agent-1");

            assertThat(after).isEqualTo(before);
            assertThat(after.whisper().goal()).isEqualTo("Their invoice shows a charge they don't recognise");
            assertThat(store.latest(SessionId.of("chat-restart"))).contains(after);
        }
    }
}
