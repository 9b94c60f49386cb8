package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import org.junit.jupiter.api.Test;

/**
 * A request read from its form leaves its sentence to the summarizer's need and timeline readers (the readers skip
 * the sentences listed request phrases quote, which hold nothing else).
 */
class RequestFormSummaryTest {

    private final Conversation chat = new Conversation(TriggerTableTest.engine(Preset.DEFAULT));

    @Test
    void a_request_read_from_its_form_keeps_the_timeline_of_its_sentence() {
        HandoffDecision decision = chat.customer("I would prefer a proper specialist by Friday for the lease renewal");

        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly(RuleTriggerEvaluator.REQUEST_FORM);
        var summary = new DeterministicSummarizer().summarize(chat.turns(), CustomerData.UNKNOWN, decision);
        assertThat(summary.ledger().bant().timeline()).containsIgnoringCase("friday");
    }
}
