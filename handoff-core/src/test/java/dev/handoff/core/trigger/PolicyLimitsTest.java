package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Documents that would exhaust the heap or silently change meaning are refused with the field that is wrong. */
class PolicyLimitsTest {

    @Test
    void templates_that_expand_past_the_phrase_cap_are_refused_before_they_are_expanded() {
        StringBuilder doc = new StringBuilder("phraseRules:\n");
        for (int r = 0; r < 30; r++) {
            doc.append("  - id: r").append(r).append("\n    kind: URGENCY\n    phrases: [\"{a|b|c|d|e|f|g|h|i|j} {a|b|c|d|e|f|g|h|i|j} {a|b|c|d|e|f|g|h|i|j} w").append(r).append("\"]\n");
        }

        assertThatThrownBy(() -> TriggerPolicy.parse(doc.toString()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.phraseRules[20].phrases[0]: at most 20000 phrases in the whole policy after expanding {a|b} templates (was \"21000 phrases so far\")");
    }

    /**
     * The caps bound a user's policy that extends the default too: the default (with its language packs) must leave
     * room for a team's own phrases. Phrases added to the default for a corpus family should be cut to what matching
     * needs before this fails (see benchmarks/README.md, "Phrases for the families-11 and -12 corpora").
     */
    @Test
    void the_default_policy_leaves_room_under_the_caps_for_a_teams_own_phrases() {
        TriggerPolicy defaults = TriggerPolicy.defaults();
        CompiledPolicy compiled = new CompiledPolicy(defaults);

        assertThat(defaults.phraseCount()).as("phrases of the default policy").isLessThanOrEqualTo(PolicyLoader.MAX_PHRASES - 2_000);
        assertThat(compiled.index.cells()).as("automaton cells of the default policy")
                .isLessThanOrEqualTo(PolicyLoader.MAX_AUTOMATON_CELLS - 1_500_000);
    }

    @Test
    void one_template_over_a_thousand_phrases_is_refused_without_building_them() {
        String doc = "phraseRules:\n  - id: x\n    kind: URGENCY\n    phrases: [\"" + "{a|b|c|d|e|f|g|h|i|j} ".repeat(6) + "\"]\n";

        assertThatThrownBy(() -> TriggerPolicy.parse(doc))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.phraseRules[0].phrases[0]: at most 1000 phrases per template");
    }

    @Test
    void a_document_over_the_size_cap_is_refused() {
        String doc = "name: big\n# " + "x".repeat(PolicyLoader.MAX_DOCUMENT_CHARS) + "\n";

        assertThatThrownBy(() -> TriggerPolicy.parse(doc))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid trigger policy (1 violation):\n  - $: a document of at most 1000000 characters (was \""
                        + doc.length() + " characters\")");
    }

    @Test
    void phrases_that_would_compile_to_an_oversized_automaton_are_refused() {
        Random random = new Random(7);
        StringBuilder doc = new StringBuilder("name: wide\nphraseRules:\n  - id: w\n    kind: URGENCY\n    phrases:\n");
        for (int i = 0; i < 12_000; i++) {
            StringBuilder p = new StringBuilder();
            for (int k = 0; k < 56; k++) {
                p.append((char) ('a' + random.nextInt(26)));
                if (k % 8 == 7) {
                    p.append(' ');
                }
            }
            doc.append("      - \"").append(p.toString().strip()).append("\"\n");
        }
        TriggerPolicy policy = TriggerPolicy.parse(doc.toString());

        assertThatThrownBy(() -> new RuleTriggerEvaluator(policy))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("Invalid trigger policy (1 violation):\n  - $.phraseRules: phrases that compile to at most 8000000 automaton cells");
    }

    @Test
    void phrases_in_other_scripts_keep_the_table_small_and_still_match() {
        List<String> phrases = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            StringBuilder p = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                p.append((char) (0x4E00 + random.nextInt(2000)));
            }
            phrases.add(p.toString());
        }
        phrases.add("talk to a person");
        PhraseMatcher m = PhraseMatcher.compile(phrases);

        // one dense row per state over the ASCII classes only (a dense CJK alphabet would be ~1,000 columns)
        assertThat(m.cells()).isLessThan((long) m.states() * 20);
        assertThat(m.findAll("ok " + phrases.get(42) + " and talk to a person")).extracting(PhraseMatcher.Match::pattern)
                .containsExactly(phrases.get(42), "talk to a person");
    }

    @Test
    void yaml_aliases_are_refused_rather_than_read_as_the_anchor_name() {
        String doc = """
                phraseRules:
                  - id: a
                    kind: URGENCY
                    phrases: [&p "help now"]
                  - id: b
                    kind: URGENCY
                    phrases: [*p]
                """;

        assertThatThrownBy(() -> TriggerPolicy.parse(doc))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid trigger policy (1 violation):\n"
                        + "  - $.phraseRules[1].phrases[0]: a plain value: YAML anchors and aliases are not supported (was \"*p\")");
    }

    @Test
    void a_key_given_twice_in_one_mapping_is_refused() {
        String doc = """
                confidence:
                  softThreshold: 0.7
                  softThreshold: 0.2
                """;

        assertThatThrownBy(() -> TriggerPolicy.parse(doc))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid trigger policy (1 violation):\n"
                        + "  - $.confidence.softThreshold: a key used once in its mapping (line 3 repeats it) (was \"softThreshold\")");
    }

    @Test
    void sales_switched_off_switches_off_every_sales_phrase_rule() {
        TriggerPolicy policy = TriggerPolicy.parse("name: no-sales\nextends: default\nsales: {enabled: false}\n");

        HandoffDecision d = new Conversation(new RuleTriggerEvaluator(policy)).customer("can you give us a better price, we need a custom integration");

        assertThat(d.isHandoff()).isFalse();
    }

    @Test
    void unknown_packs_and_languages_are_named() {
        assertThatThrownBy(() -> TriggerPolicy.parse("packs: [de]\nphraseRules:\n  - {id: x, kind: URGENCY, language: spanish, phrases: [ayuda]}"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("""
                        Invalid trigger policy (2 violations):
                          - $.packs[0]: one of [es, fr] (was "de")
                          - $.phraseRules[0].language: an ISO 639-1 language code such as es or fr (was "spanish")""");
    }
}
