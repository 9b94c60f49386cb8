package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The sentences the readers get are the ones the splitting expressions give, with or without the fast path. */
class SentenceSplitTest {

    private static final Pattern AFTER_STOP = Pattern.compile("(?<=[.!?])\\s+");
    private static final Pattern SUMMARIZER = Pattern.compile("(?<=[.!?])(?<!\\b(?:Dr|Mr|Ms|Mrs|St|vs)\\.)\\s+|\\n+");
    private static final String[] PIECES = {"a", "Dr", "vs", "St", "x1", ".", "!", "?", " ", "  ", "\n", "\t", "\r\n", "\u000B", "\f",
        "\u00a0", "\u2028", "_", "é"};

    @Test
    void the_same_sentences_as_the_expressions() {
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            String s = RandomText.of(random, 12, r -> PIECES[r.nextInt(PIECES.length)]);
            assertThat(Sentences.split(s)).as("\"%s\"", s).containsExactly(AFTER_STOP.split(s));
            assertThat(Sentences.split(SUMMARIZER, s, true)).as("\"%s\"", s).containsExactly(SUMMARIZER.split(s));
        }
    }

    @Test
    void one_sentence_stays_whole() {
        assertThat(Sentences.split("Can you tell me whether it is lost?")).containsExactly("Can you tell me whether it is lost?");
        assertThat(Sentences.split("It broke. Twice!  Really")).containsExactly("It broke.", "Twice!", "Really");
    }
}
