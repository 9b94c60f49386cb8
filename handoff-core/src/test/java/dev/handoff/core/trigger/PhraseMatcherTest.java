package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Speaker;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhraseMatcherTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            Let Me TALK to a Person!!           | ` let me talk to a person | `
            I don’t need   a human               | ` i do not need a human `
            I dont need a human                  | ` i do not need a human `
            can't won't isn't I'm I'd            | ` can not will not is not i am i would `
            ID card, its color                   | ` id card | its color `
            needn't                              | ` need not `
            talk‐to—a–human                      | ` talk to a human `
            $75,000.50 and €40k, 1,5 or 12,3456  | ` $ 75000.50 and € 40k | 1 | 5 or 12 | 3456 `
            Café naïve ÉCOLE                     | ` cafe naive ecole `
            wait... what?!                       | ` wait | what | `
            ''                                   | ` `
            """)
    void text_is_normalized_for_matching(String text, String expected) {
        assertThat(PhraseMatcher.normalizeText(text.equals("''") ? "" : text)).isEqualTo(expected);
    }

    @Test
    void matches_are_on_whole_words_and_prefixes_extend_to_the_end_of_the_word() {
        PhraseMatcher m = PhraseMatcher.compile(List.of("pain", "frustrat*", "operator"));

        assertThat(m.findAll("Spain is painting; the cooperator is fine")).isEmpty();
        assertThat(m.findAll("So FRUSTRATING, the pain!")).extracting(PhraseMatcher.Match::text)
                .containsExactly("FRUSTRATING", "pain");
    }

    @Test
    void offsets_point_into_the_original_text_across_contractions_and_unicode() {
        PhraseMatcher m = PhraseMatcher.compile(List.of("do not need a human", "talk to a person"));
        String text = "Well, I DON’T   need a   human — but 𝒳 let me talk-to-a person";

        List<PhraseMatcher.Match> found = m.findAll(text);

        assertThat(found).extracting(PhraseMatcher.Match::text).containsExactly("DON’T   need a   human", "talk-to-a person");
        for (PhraseMatcher.Match match : found) {
            assertThat(text.substring(match.start(), match.end())).isEqualTo(match.text());
        }
    }

    @Test
    void a_huge_text_is_scanned_without_growing_the_thread_buffers() {
        PhraseMatcher m = PhraseMatcher.compile(List.of("talk to a person"));
        String huge = "lorem ipsum ".repeat(20_000) + "let me talk to a person";

        List<PhraseMatcher.Match> found = m.findAll(huge);

        assertThat(found).singleElement().satisfies(match -> assertThat(match.start()).isEqualTo(huge.length() - 16));
        assertThat(Scratch.get().out.length).isLessThan(4 * Scratch.MAX_POOLED_LENGTH);
    }

    @Test
    void a_phrase_without_letters_or_digits_is_rejected() {
        assertThatThrownBy(() -> PhraseMatcher.compile(List.of("ok", " -- ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("phrase 1 (\" -- \") has no letter or digit");
    }

    /** The naive reference: every phrase, padded with spaces, looked up with indexOf at every position. */
    private static Set<String> naive(List<String> phrases, String text) {
        String norm = PhraseMatcher.normalizeText(text);
        Set<String> hits = new HashSet<>();
        for (int p = 0; p < phrases.size(); p++) {
            String pattern = " " + PhraseMatcher.normalizePhrase(phrases.get(p)) + " ";
            for (int at = norm.indexOf(pattern); at >= 0; at = norm.indexOf(pattern, at + 1)) {
                hits.add(p + "@" + (at + pattern.length()));
            }
        }
        return hits;
    }

    @Test
    void agrees_with_a_naive_matcher_on_random_texts() {
        Random random = new Random(42);
        String[] vocabulary = {"talk", "to", "a", "person", "human", "agent", "I", "don't", "need", "cancel", "my", "order",
                "please", "now", "the", "manager", "is", "not", "here", "pain", "in", "urgent", "$", "75k", "help", "me", ",", "!",
                "real", "live", "operator", "no", "want", "speak", "with", "someone", "talk-to", "’"};
        List<String> phrases = new ArrayList<>(TriggerPolicy.defaults().phraseRules().stream()
                .flatMap(r -> r.phrases().stream()).filter(p -> !p.endsWith("*")).toList());
        for (int i = 0; i < 200; i++) {
            phrases.add(vocabulary[random.nextInt(vocabulary.length)] + " " + vocabulary[random.nextInt(vocabulary.length)]);
        }
        phrases.removeIf(p -> PhraseMatcher.normalizePhrase(p).isEmpty());
        PhraseMatcher matcher = PhraseMatcher.compile(phrases);

        for (int round = 0; round < 2_000; round++) {
            StringBuilder text = new StringBuilder();
            int words = 1 + random.nextInt(40);
            for (int w = 0; w < words; w++) {
                text.append(vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(5) == 0 ? "" : " ");
            }
            Scratch s = matcher.index().scan(text);
            Set<String> fast = new HashSet<>();
            for (int h = 0; h < s.hitCount; h++) {
                fast.add(s.hits[2 * h] + "@" + s.hits[2 * h + 1]);
            }
            assertThat(fast).as("on \"%s\"", text).isEqualTo(naive(phrases, text.toString()));
            assertThat(matcher.containsAny(text)).isEqualTo(!fast.isEmpty());
        }
    }

    @Test
    void random_unicode_through_normalizer_matcher_and_engine_raises_nothing() {
        Random random = new Random(7);
        RuleTriggerEvaluator engine = TriggerTableTest.engine(Preset.DENTAL_PRACTICE);
        PhraseMatcher matcher = engine.matcher();
        Conversation chat = new Conversation(engine);
        char[] interesting = {'\'', '’', '-', '—', ',', '.', '$', '€', '%', ' ', '\n', '\uD83D', '\uDE00', '\u0301', 'İ', 'ß',
                '\u200B', '\uFFFF', '\u0000', '9', 'k', '|', '{', '*'};
        for (int round = 0; round < 3_000; round++) {
            int len = random.nextInt(120);
            StringBuilder text = new StringBuilder(len);
            for (int i = 0; i < len; i++) {
                text.append(random.nextBoolean() ? (char) random.nextInt(0x10000) : interesting[random.nextInt(interesting.length)]);
            }
            String t = text.toString();
            String norm = PhraseMatcher.normalizeText(t);
            assertThat(norm).startsWith(" ").endsWith(" ").doesNotContain("  ");
            for (PhraseMatcher.Match match : matcher.findAll(t)) {
                assertThat(t.substring(match.start(), match.end())).isEqualTo(match.text());
            }
            Speaker speaker = random.nextBoolean() ? Speaker.CUSTOMER : Speaker.AI;
            HandoffDecision decision = chat.say(speaker, t, random.nextBoolean() ? null
                    : new NluSignals(random.nextDouble(), "i" + random.nextInt(9) + (random.nextBoolean() ? "+x,y" : ""),
                    null, random.nextDouble() * 2 - 1, null));
            decision.reasons().stream().filter(r -> r.evidence() != null).forEach(r ->
                    assertThat(t.substring(r.evidence().start(), r.evidence().end())).isEqualTo(r.evidence().text()));
        }
    }
}
