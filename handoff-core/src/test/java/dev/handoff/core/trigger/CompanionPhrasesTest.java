package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A phrase rule with {@code with:} fires only when one of its companion phrases shares the hit's sentence. */
class CompanionPhrasesTest {

    private static final String POLICY = """
            name: disputes
            phraseRules:
              - id: dispute.unrecognised
                kind: REGULATORY
                description: A payment the customer did not make
                priority: HIGH
                negatable: false
                phrases: ["{payment|charge|withdrawal}*"]
                with: ["{did not|never} {make|made|authorise|authorised}", "was not me", "know nothing about"]
                except: ["no idea what the charge is for"]
            """;

    private static HandoffDecision say(String text) {
        return new Conversation(new RuleTriggerEvaluator(TriggerPolicy.parse(POLICY))).customer(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "There's a payment on my statement for $480.50 that I didn't make. | payment on my statement for $480.50 that I didn't make",
            "I never authorised these charges! | never authorised these charges",
            "My bank shows a withdrawal I know nothing about, please check. | withdrawal I know nothing about",
            "Someone made three charges on my card and it wasn't me. | charges on my card and it wasn't me",
    })
    void fires_when_a_companion_shares_the_sentence_and_quotes_both(String text, String evidence) {
        HandoffDecision d = say(text);

        assertThat(d.isHandoff()).isTrue();
        assertThat(d.reasons()).singleElement().satisfies(r -> {
            assertThat(r.ruleId()).isEqualTo("dispute.unrecognised");
            assertThat(r.evidence().text()).isEqualTo(evidence);
            assertThat(text.substring(r.evidence().start(), r.evidence().end())).isEqualTo(evidence);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "What payment methods do you take?",
            "I didn't make it to the appointment.",
            "The payment went through. I never made the call though, my wife did.",
            "Is there a charge for delivery? It wasn't me who ordered last time",
            "I have no idea what the charge is for but I didn't make a fuss.",
    })
    void does_not_fire_without_a_companion_in_the_same_sentence(String text) {
        assertThat(say(text).reasons()).extracting(Reason::ruleId).doesNotContain("dispute.unrecognised");
    }

    @Test
    void a_companion_that_overlaps_the_hit_does_not_count() {
        TriggerPolicy policy = TriggerPolicy.parse("""
                phraseRules:
                  - {id: orders.not-mine, kind: REGULATORY, negatable: false, phrases: [ordered], with: [never ordered, was not me]}
                """);

        assertThat(new Conversation(new RuleTriggerEvaluator(policy)).customer("I never ordered from you before, is delivery free?")
                .isHandoff()).isFalse();
        assertThat(new Conversation(new RuleTriggerEvaluator(policy)).customer("Someone ordered three phones and it was not me.")
                .reasons()).extracting(Reason::ruleId).containsExactly("orders.not-mine");
    }

    @Test
    void a_sentence_end_is_a_full_stop_before_a_space_not_a_decimal_point() {
        assertThat(PhraseSignals.oneSentence("paid $4.50 i did not make", 0, 25)).isTrue();
        assertThat(PhraseSignals.oneSentence("a charge. I did not make it", 0, 27)).isFalse();
        assertThat(PhraseSignals.oneSentence("a charge; I did not make it", 0, 27)).isFalse();
        assertThat(PhraseSignals.oneSentence("a charge\nI did not make it", 0, 26)).isFalse();
    }

    @Test
    void an_empty_companion_list_is_refused_with_its_path() {
        assertThatThrownBy(() -> TriggerPolicy.parse("""
                phraseRules:
                  - {id: x, kind: REGULATORY, phrases: [payment], with: []}
                """))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.phraseRules[0].with: a non-empty list of phrases (was \"[]\")");
    }

    @Test
    void a_star_inside_a_phrase_is_refused_since_only_a_final_one_matches_a_prefix() {
        assertThatThrownBy(() -> TriggerPolicy.parse("""
                phraseRules:
                  - {id: x, kind: URGENCY, phrases: ["{heating*|boiler} broken"]}
                """))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.phraseRules[0].phrases[0]: a * only at the end of a phrase (it matches a word prefix there)"
                        + " in every alternative (was \"{heating*|boiler} broken\")");
    }

    @Test
    void companion_phrases_count_towards_the_policys_phrases() {
        TriggerPolicy p = TriggerPolicy.parse(POLICY);

        assertThat(p.phraseRules().get(0).with()).hasSize(10);   // 2 x 4 + 2
        assertThat(p.phraseCount()).isEqualTo(3 + 10 + 1);
    }
}
