package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A callback request read by a companion rule ("can someone call me back ...") quotes a whole stretch of the sentence;
 * the timeline in it is still read, as for the request form. A listed request phrase ("can I speak to someone now?")
 * says when the customer wants a person, so its sentence gives no timeline.
 */
class CallbackRequestTimelineTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private static HandoffDecision decide(Turn turn) {
        return new RuleTriggerEvaluator(TriggerPolicy.defaults()).evaluate(ConversationSnapshot.of(dev.handoff.api.SessionId.of("s-1"),
                dev.handoff.api.Channel.CHAT, T0, List.of(turn), null, null), turn);
    }

    private static String timeline(String text) {
        Turn turn = new Turn(0, Speaker.CUSTOMER, text, T0, null, false);
        HandoffDecision decision = decide(turn);
        assertThat(decision.isHandoff()).as("the default policy hands off on: " + text).isTrue();
        return new DeterministicSummarizer().summarize(List.of(turn), CustomerData.of("cus-1", Map.of()), decision).ledger().bant()
                .timeline();
    }

    @Test
    void a_callback_request_keeps_the_deadline_said_with_it() {
        assertThat(timeline("Can a member of your team call me back, I need this sorted before the move on Friday."))
                .isNotNull().contains("Friday");
    }

    @Test
    void a_listed_request_for_a_person_now_is_not_a_timeline() {
        assertThat(timeline("Can I speak to someone right now?")).isNull();
    }

    @Test
    void the_companion_rule_is_what_read_the_callback() {
        Turn turn = new Turn(0, Speaker.CUSTOMER, "Can a member of your team call me back, I need this sorted before the move on Friday.",
                T0, null, false);
        HandoffDecision decision = decide(turn);

        assertThat(decision.reasons()).extracting(Reason::ruleId).contains(DeterministicSummarizer.CONTACT_ME);
        assertThat(RuleTriggerEvaluator.REQUEST_FORM).isEqualTo(DeterministicSummarizer.REQUEST_FORM);
    }
}
