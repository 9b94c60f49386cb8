package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Reason;
import org.junit.jupiter.api.Test;

/** The request form belongs to the rule with id {@code explicit.request}: a policy chooses it by that id. */
class RequestFormPolicyTest {

    private static final String WORDING = "could you get somebody from billing on the line";

    private static RuleTriggerEvaluator engine(String ruleId, String extra) {
        return new RuleTriggerEvaluator(TriggerPolicy.parse("""
                name: requests
                phraseRules:
                  - id: %s
                    kind: EXPLICIT_REQUEST
                    description: The customer asked for a person
                    priority: HIGH
                    routeHint: front-desk
                %s    phrases: ["talk to a person"]
                """.formatted(ruleId, extra)));
    }

    @Test
    void a_rule_named_explicit_request_reads_the_form_with_its_own_priority_and_route() {
        Conversation chat = new Conversation(engine("explicit.request", ""));

        var decision = chat.customer(WORDING);

        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly(RuleTriggerEvaluator.REQUEST_FORM);
        assertThat(decision.priority()).hasToString("HIGH");
        assertThat(decision.routeHint()).isEqualTo("front-desk");
    }

    @Test
    void a_request_rule_under_another_id_reads_listed_phrases_only() {
        Conversation chat = new Conversation(engine("clinic.request", ""));

        assertThat(chat.customer(WORDING).isHandoff()).isFalse();
        assertThat(chat.customer("I want to talk to a person").reasons()).extracting(Reason::ruleId).containsExactly("clinic.request");
    }

    @Test
    void a_disabled_request_rule_takes_the_form_with_it() {
        Conversation chat = new Conversation(engine("explicit.request", "    enabled: false\n"));

        assertThat(chat.customer(WORDING).isHandoff()).isFalse();
    }
}
