import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The root README's quick start, run as a consumer runs it: it hands the chat to Alice, then closes. */
class QuickStartTest {

    @Test
    void readme_quick_start_hands_the_chat_to_alice() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);

        assertThat(printed.lines()).containsExactly(
                "Alice reads the whisper first: Not stated yet: the customer has not said what they want",
                "CONNECTED to alice");
    }
}
