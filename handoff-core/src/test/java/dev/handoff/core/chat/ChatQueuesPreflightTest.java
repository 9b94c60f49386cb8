package dev.handoff.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.PreflightResult;
import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.core.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatQueuesPreflightTest {

    private static TransferRequest to(Target target) {
        return new TransferRequest(SessionId.of("chat-1"), "ctx-1", "ticket-1", target, TransferMode.QUEUE, Priority.NORMAL,
                Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void chat_queues_only_take_queues_and_say_so_for_any_other_target() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            ChatQueues queues = ChatQueues.inMemory(Clock.systemUTC(), Scheduler.of(timer));

            PreflightResult sip = queues.preflight(to(new Target("desk", Target.Kind.SIP, "sip:desk@example.com", Set.of())))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(queues.modes()).containsExactly(TransferMode.QUEUE);
            assertThat(sip).isEqualTo(new PreflightResult(true, false, false,
                    "chat queues take targets of kind QUEUE, got SIP sip:desk@example.com"));
            assertThat(ChatQueues.notAQueue(new Target("support", Target.Kind.QUEUE, "support", Set.of()))).isEmpty();
        } finally {
            timer.shutdownNow();
        }
    }
}
