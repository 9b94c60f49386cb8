package dev.handoff.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The root README's quick start, run as a reader runs it: Alice signs in first, gets the chat, and it closes. */
@Isolated("replaces System.out")
class QuickStartTest {

    @Test
    void readme_quick_start_hands_the_chat_to_alice_whisper_first() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "Alice reads the whisper first: Not stated yet: the customer has not said what they want",
                "CONNECTED to alice");
    }
}
