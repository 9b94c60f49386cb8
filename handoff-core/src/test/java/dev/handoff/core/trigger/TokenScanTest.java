package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.text.PhraseIndex;
import dev.handoff.core.text.Scratch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trigger engine scans a turn with {@link PhraseIndex#scanTokenized}, which steps over words no phrase holds: it
 * must find exactly the hits, in the same order, that reading every character ({@link PhraseIndex#scanNormalized})
 * finds, on every policy, for real turns and for texts built to sit at the edges (phrase words beside unknown ones,
 * prefix phrases, clause marks, numbers, accents, typos).
 */
class TokenScanTest {

    private static List<CompiledPolicy> policies() {
        List<CompiledPolicy> all = new ArrayList<>();
        all.add(new CompiledPolicy(TriggerPolicy.defaults()));
        for (TriggerPolicy.Preset p : TriggerPolicy.Preset.values()) {
            all.add(new CompiledPolicy(TriggerPolicy.preset(p)));
        }
        return all;
    }

    /** The hits of both scans of {@code text}, read as the engine reads a turn; null when they agree. */
    private static String disagreement(CompiledPolicy policy, String text) {
        Scratch s = CorpusTurns.readAsTheEngine(text, policy);
        policy.index.scanNormalized(s);
        int[] everyCharacter = Arrays.copyOf(s.hits, 2 * s.hitCount);
        policy.index.scanTokenized(s);
        int[] tokens = Arrays.copyOf(s.hits, 2 * s.hitCount);
        return Arrays.equals(everyCharacter, tokens) ? null
                : policy.policy.name() + ": " + text + " -> " + Arrays.toString(everyCharacter) + " vs " + Arrays.toString(tokens);
    }

    @Test
    void every_turn_of_the_shipped_corpora_gets_the_same_hits_under_every_policy() throws IOException {
        List<String> texts = CorpusTurns.all().stream().map(CorpusTurns.Turn::text).toList();
        assertThat(texts).as("turns read from %s", CorpusTurns.CORPORA.toAbsolutePath()).hasSizeGreaterThan(1500);
        List<String> differ = new ArrayList<>();
        int hits = 0;
        for (CompiledPolicy policy : policies()) {
            for (String text : texts) {
                String d = disagreement(policy, text);
                if (d != null) {
                    differ.add(d);
                }
                hits += policy.index.scan(text).hitCount;
            }
        }
        assertThat(differ).isEmpty();
        assertThat(hits).as("phrase hits over the corpora: the comparison is not between two empty lists").isGreaterThan(1000);
    }

    @Test
    void texts_mixing_phrase_words_and_other_words_get_the_same_hits() {
        CompiledPolicy policy = new CompiledPolicy(TriggerPolicy.defaults());
        List<String> phraseWords = new ArrayList<>();
        for (String p : policy.index.normalizedPhrases()) {
            phraseWords.addAll(Arrays.asList(p.split(" ")));
        }
        String[] others = {"shoes", "warehouse", "cancellation", "frustratingly", "humanity", "agents'", "don't", "$60,000",
            "24/7", "r\u00e9sum\u00e9", "re\u0301sume\u0301", "\uFF21\uFF27\uFF25\uFF2E\uFF34", "agnet", "represenative", ",", ".", "?",
            "!", "--", "\u2019", "99", "x", "about", "nothing"};
        Random random = new Random(13);
        List<String> differ = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            int words = 1 + random.nextInt(24);
            for (int w = 0; w < words; w++) {
                String word = random.nextInt(3) == 0 ? others[random.nextInt(others.length)]
                        : phraseWords.get(random.nextInt(phraseWords.size())).replace("*", random.nextBoolean() ? "ly" : "");
                text.append(word).append(random.nextInt(8) == 0 ? ", " : " ");
            }
            String d = disagreement(policy, text.toString());
            if (d != null) {
                differ.add(d);
            }
        }
        assertThat(differ).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "I need to speak with a human being right now"
            "the warehouse representative I spoke to last week was frustratingly slow"
            "cancellation policy question, then: cancel my subscription"
            "shoes shoes shoes talk to a person"
            "I am extremely frustrated with this"
            "AGENT AGENT"
            "representation representative"
            """)
    void crafted_edges_get_the_same_hits(String text) {
        for (CompiledPolicy policy : policies()) {
            assertThat(disagreement(policy, text)).isNull();
        }
        assertThat(new CompiledPolicy(TriggerPolicy.defaults()).index.scan(text).hitCount).isPositive();
    }
}
