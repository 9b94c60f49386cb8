package dev.handoff.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.HandoffOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatDemoTest {

    @Test
    void demo_prints_a_completed_handoff_with_the_context_json() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        ChatDemo.Result result = ChatDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(result.outcome().status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(result.context().transcript()).hasSize(5);
        assertThat(printed.lines().filter(l -> l.contains("-> trigger decision:")).toList()).containsExactly(
                "  -> trigger decision: CONTINUE", "  -> trigger decision: CONTINUE", "  -> trigger decision: CONTINUE",
                "  -> trigger decision: CONTINUE", "  -> trigger decision: HANDOFF explicit.request");
        assertThat(printed)
                .contains("connected to alice; the bot stops speaking")
                .contains("Outcome: CONNECTED to alice")
                .contains("\"schema\": \"handoff.context/v1\"")
                .contains("\"text\": \"No thanks. Honestly, let me talk to a person.\"")
                .contains("\"kind\": \"CREDIT\"")
                .contains("\"algorithm\": \"HMAC-SHA256\"");
        int whisper = printed.indexOf("The agent reads first (whisper):");
        assertThat(whisper).as("the whisper comes before the JSON document").isPositive()
                .isLessThan(printed.indexOf("\"schema\": \"handoff.context/v1\""));
        assertThat(printed.substring(whisper)).contains("  goal:     Wants help with their March invoice",
                "  opening:  I've read the conversation, so you won't need to repeat anything. Let's sort out your March invoice.");
    }
}
