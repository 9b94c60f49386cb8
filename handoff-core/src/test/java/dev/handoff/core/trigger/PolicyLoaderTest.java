package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

    @Test
    void a_minimal_document_takes_every_default() {
        TriggerPolicy policy = TriggerPolicy.parse("name: tiny\n");

        assertThat(policy.name()).isEqualTo("tiny");
        assertThat(policy.confidence()).isEqualTo(new TriggerPolicy.Confidence(true, 0.65, 2, 3, 0.40, Priority.NORMAL));
        assertThat(policy.sentiment().threshold()).isEqualTo(TriggerPolicy.Sentiment.DEFAULT_THRESHOLD);
        assertThat(policy.urgency().maxSessionDuration()).isEqualTo(Duration.ofMinutes(20));
        assertThat(policy.sales().amountThreshold()).isEqualTo(50_000);
        assertThat(policy.phraseRules()).isEmpty();
    }

    @Test
    void json_is_accepted_and_templates_expand() {
        TriggerPolicy policy = TriggerPolicy.parse("""
                {"name": "json", "phraseRules": [{"id": "x.ask", "kind": "EXPLICIT_REQUEST",
                  "phrases": ["{talk|speak} to {a|the} {nurse|doctor}", "front desk"], "speakers": ["CUSTOMER", "AGENT"]}]}
                """);

        TriggerPolicy.PhraseRule rule = policy.phraseRules().get(0);
        assertThat(rule.phrases()).hasSize(9).contains("talk to a nurse", "speak to the doctor", "front desk");
        assertThat(rule.speakers()).containsExactlyInAnyOrder(Speaker.CUSTOMER, Speaker.AGENT);
        assertThat(rule.negatable()).isTrue();
        assertThat(rule.priority()).isEqualTo(Priority.NORMAL);
    }

    @Test
    void every_violation_is_listed_with_path_value_and_expectation() {
        String doc = """
                name: broken
                confidence:
                  softThreshold: 1.5
                  hardFloor: -0.1
                  consecutiveTurns: 0
                  hardFlor: 0.3
                sentiment:
                  velocityThreshold: 0.2
                loop:
                  priority: SOON
                sales:
                  currency: BTC
                  amountThreshold: -5
                urgency:
                  maxSessionDuration: twenty minutes
                phraseRules:
                  - id: a
                    kind: EXPLICIT_REQUEST
                    phrases: ["talk to {a|the human", "!!!"]
                  - id: a
                    kind: ROBOT
                    phrases: []
                """;

        assertThatThrownBy(() -> TriggerPolicy.parse(doc))
                .isInstanceOf(ValidationException.class)
                .hasMessage("""
                        Invalid trigger policy (14 violations):
                          - $.confidence.softThreshold: a number from 0.0 to 1.0 (was 1.5)
                          - $.confidence.consecutiveTurns: an integer from 1 to 50 (was 0)
                          - $.confidence.hardFloor: a number from 0.0 to 1.0 (was -0.1)
                          - $.confidence.hardFlor: a known field, one of [enabled, softThreshold, consecutiveTurns, rollingWindow, hardFloor, priority] (was 0.3)
                          - $.sentiment.velocityThreshold: a number from -2.0 to 0.0 (was 0.2)
                          - $.loop.priority: one of [LOW, NORMAL, HIGH, URGENT] (was "SOON")
                          - $.sales.currency: one of [EUR, GBP, JPY, USD] (was "BTC")
                          - $.sales.amountThreshold: a number of at least 0.01 (was -5)
                          - $.urgency.maxSessionDuration: a positive ISO-8601 duration such as PT20M or P7D (was "twenty minutes")
                          - $.phraseRules[0].phrases[0]: balanced {a|b} alternatives, not nested (was "talk to {a|the human")
                          - $.phraseRules[0].phrases[1]: a phrase with at least one letter or digit (was "!!!")
                          - $.phraseRules[1].id: an id not used by an earlier rule ($.phraseRules[0]) (was "a")
                          - $.phraseRules[1].kind: one of [CONFIDENCE, NEGATIVE_SENTIMENT, EXPLICIT_REQUEST, COMPLEX_ISSUE, CONVERSATION_LOOP, REGULATORY, SALES, URGENCY, KILL_SWITCH] (was "ROBOT")
                          - $.phraseRules[1].phrases: a non-empty list of phrases (was "[]")""")
                .satisfies(e -> assertThat(((ValidationException) e).violations()).first()
                        .isEqualTo(new Violation("$.confidence.softThreshold", 1.5, "a number from 0.0 to 1.0")));
    }

    @Test
    void combinations_are_checked_after_single_values() {
        assertThatThrownBy(() -> TriggerPolicy.parse("confidence: {softThreshold: 0.5, hardFloor: 0.6}\nloop: {window: 2, minRepeats: 3}"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("""
                        Invalid trigger policy (2 violations):
                          - $.confidence.hardFloor: at most softThreshold (0.5) (was 0.6)
                          - $.loop.minRepeats: at most window (2) (was 3)""");
    }

    @Test
    void an_empty_phrase_list_and_an_unknown_preset_are_reported() {
        assertThatThrownBy(() -> TriggerPolicy.parse("extends: platinum\nphraseRules:\n  - {id: x, kind: SALES}"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("""
                        Invalid trigger policy (2 violations):
                          - $.extends: one of [default, open-door, high-gate, dental-practice, legal-intake, b2b-sales] (was "platinum")
                          - $.phraseRules[0].phrases: a non-empty list of phrases (was null)""");
    }

    @Test
    void malformed_yaml_names_the_line() {
        assertThatThrownBy(() -> TriggerPolicy.parse("confidence:\n  softThreshold: [0.5\n"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("Invalid trigger policy (1 violation):\n  - $: well-formed YAML or JSON (")
                .hasMessageContaining("line 3");
    }

    @Test
    void a_scalar_document_is_rejected() {
        assertThatThrownBy(() -> TriggerPolicy.parse("just words"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid trigger policy (1 violation):\n  - $: a mapping with the policy's sections (was \"just words\")");
    }

    @Test
    void extends_merges_sections_field_by_field_and_rules_by_id(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clinic.yaml");
        Files.writeString(file, """
                name: clinic
                extends: dental-practice
                confidence: {softThreshold: 0.75}
                phraseRules:
                  - {id: sales.negotiation, enabled: false}
                  - id: clinic.xray
                    kind: COMPLEX_ISSUE
                    description: X-ray question
                    routeHint: radiology
                    phrases: ["x-ray {results|images}"]
                """);

        TriggerPolicy policy = TriggerPolicy.load(file);
        HandoffDecision decision = new Conversation(new RuleTriggerEvaluator(policy)).customer("when will my X‐ray images be ready?");

        assertThat(policy.name()).isEqualTo("clinic");
        assertThat(policy.profiles()).containsExactly("HIPAA");
        assertThat(policy.confidence().softThreshold()).isEqualTo(0.75);
        assertThat(policy.confidence().consecutiveTurns()).isEqualTo(1);
        assertThat(policy.phraseRules()).filteredOn(r -> r.id().equals("sales.negotiation")).singleElement()
                .satisfies(r -> assertThat(r.enabled()).isFalse());
        assertThat(decision.reasons()).singleElement().satisfies(r -> {
            assertThat(r.ruleId()).isEqualTo("clinic.xray");
            assertThat(r.kind()).isEqualTo(TriggerKind.COMPLEX_ISSUE);
            assertThat(r.evidence().text()).isEqualTo("X‐ray images");
        });
        assertThat(decision.routeHint()).isEqualTo("radiology");
    }

    @Test
    void load_reads_a_stream() {
        TriggerPolicy policy = TriggerPolicy.load(new ByteArrayInputStream(
                "name: s\nprofiles: [HIPAA]\nsales: {currency: EUR}".getBytes(StandardCharsets.UTF_8)));

        assertThat(policy.profiles()).isEqualTo(Set.of("HIPAA"));
        assertThat(policy.sales().currency()).isEqualTo("EUR");
        assertThat(policy.sales().rates().get("EUR")).isEqualTo(1.0);
        assertThat(policy.sales().rates().get("USD")).isEqualTo(1 / 1.08);
    }

    @Test
    void profile_bound_rules_are_off_without_their_profile() {
        TriggerPolicy policy = TriggerPolicy.defaults();

        assertThat(policy.phraseRules()).filteredOn(r -> r.id().equals("regulatory.phi")).singleElement()
                .satisfies(r -> assertThat(r.isActive(policy.profiles())).isFalse());
        assertThat(TriggerPolicy.preset(TriggerPolicy.Preset.DENTAL_PRACTICE).phraseRules())
                .filteredOn(r -> r.id().equals("regulatory.phi")).singleElement()
                .satisfies(r -> assertThat(r.isActive(Set.of("HIPAA"))).isTrue());
    }

    @Test
    void every_phrase_rule_of_the_default_policy_has_phrases_and_every_kind_is_covered() {
        List<TriggerPolicy.PhraseRule> rules = TriggerPolicy.defaults().phraseRules();

        assertThat(rules).allSatisfy(r -> assertThat(r.phrases()).isNotEmpty());
        assertThat(rules).extracting(TriggerPolicy.PhraseRule::kind).contains(TriggerKind.EXPLICIT_REQUEST, TriggerKind.KILL_SWITCH,
                TriggerKind.REGULATORY, TriggerKind.COMPLEX_ISSUE, TriggerKind.SALES, TriggerKind.URGENCY, TriggerKind.NEGATIVE_SENTIMENT);
    }
}
