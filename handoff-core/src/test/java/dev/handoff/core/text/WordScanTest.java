package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PhraseIndex#scanTokenized} (the automaton over words) against {@link PhraseIndex#scanNormalized} (the
 * automaton over characters) on phrase lists built to sit at its edges, which the shipped policies
 * ({@code TokenScanTest}) may not hold: stems of one and two characters, a stem that is also a whole phrase word, the
 * same phrase twice, phrases nested in each other, phrases that share words, digits, currency tokens and non-ASCII
 * words. Each text must get the same hits in the same order.
 */
class WordScanTest {

    private static final List<String> PHRASES = List.of(
            "agent", "talk to an agent", "talk to a human", "an agent", "agent agent", "agent*", "ag*", "a*", "no*",
            "a", "a a", "a a a", "to a", "cancel my subscription", "cancel*", "cancel my*", "my subscription",
            "human", "human being", "real person", "speak to a real person", "$ 500", "500 dollars", "24 7",
            "résumé", "人工客服", "talk to a hum*", "x", "talk", "talk talk");

    private static int[] hits(Scratch s) {
        return Arrays.copyOf(s.hits, 2 * s.hitCount);
    }

    private static void assertSameHits(PhraseIndex index, String text) {
        Scratch s = new Scratch();
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        index.scanNormalized(s);
        int[] characters = hits(s);
        index.scanTokenized(s);
        assertThat(hits(s)).as("hits of \"%s\" (normalized \"%s\")", text, s.normalized()).containsExactly(characters);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "talk to an agent", "agent agent agent", "agents agented ag a", "I want to talk to a human being now",
        "talk to a humanoid, a a a a", "no nothing nope", "cancel my subscriptions, cancelled my subscription",
        "speak to a real person please", "$500 or 500 dollars, 24/7", "mon résumé, resume", "我要人工客服 人工客服",
        "x x x", "talk talk talk", "", "   ", "a", "AGENT"})
    void crafted_texts_get_the_same_hits_from_both_automata(String text) {
        PhraseIndex index = PhraseIndex.compile(PHRASES);
        assertSameHits(index, text);
    }

    @Test
    void the_crafted_texts_do_hit_stems_nested_phrases_and_duplicates() {
        PhraseIndex index = PhraseIndex.compile(List.of("agent", "agent", "ag*", "a*", "an agent", "agent*"));
        Scratch s = new Scratch();
        Normalizer.normalize("an agent", s);
        Words.tokenize(s);
        index.scanTokenized(s);
        // " an": a* (end 2); " agent": a* (end 5), ag* (end 6), agent* (end 9), then at end 10 the longest first, as
        // Aho-Corasick lists them: an agent, then agent twice
        assertThat(hits(s)).containsExactly(3, 2, 3, 5, 2, 6, 5, 9, 4, 10, 0, 10, 1, 10);
        assertSameHits(index, "an agent");
    }

    @Test
    void random_texts_over_the_phrase_words_get_the_same_hits() {
        PhraseIndex index = PhraseIndex.compile(PHRASES);
        List<String> words = new ArrayList<>();
        for (String p : PHRASES) {
            words.addAll(Arrays.asList(p.replace("*", "").split(" ")));
        }
        words.addAll(List.of("agents", "humane", "nope", "ok", ",", "?", "--", "don't"));
        Random random = new Random(7);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder text = new StringBuilder();
            int count = 1 + random.nextInt(12);
            for (int w = 0; w < count; w++) {
                text.append(words.get(random.nextInt(words.size()))).append(random.nextInt(6) == 0 ? ". " : " ");
            }
            assertSameHits(index, text.toString());
        }
    }
}
