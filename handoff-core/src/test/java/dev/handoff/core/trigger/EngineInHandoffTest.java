package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import org.junit.jupiter.api.Test;

/** The engine behind a real Handoff session, the way a bot developer wires it. */
class EngineInHandoffTest {

    @Test
    void dental_receptionist_hands_a_caller_in_pain_to_clinical_staff_at_once() {
        try (Handoff handoff = Handoff.builder()
                .triggerEvaluator(new RuleTriggerEvaluator(TriggerPolicy.preset(Preset.DENTAL_PRACTICE))).build()) {
            HandoffSession call = handoff.open(Channel.VOICE);

            assertThat(call.customer("Hi, I'd like to book a cleaning").isHandoff()).isFalse();
            assertThat(call.ai("Sure, we have Tuesday at 10 or Thursday at 2.", NluSignals.confidence(0.92)).isHandoff()).isFalse();
            HandoffDecision decision = call.customer("Actually my tooth is broken and it really hurts");

            assertThat(decision.action()).isEqualTo(HandoffDecision.Action.HANDOFF);
            assertThat(decision.priority()).isEqualTo(Priority.URGENT);
            assertThat(decision.routeHint()).isEqualTo("clinical-staff");
            assertThat(decision.reasons()).first().satisfies(r -> {
                assertThat(r.ruleId()).isEqualTo("dental.pain");
                assertThat(r.turnIndex()).isEqualTo(2);
                assertThat(r.evidence().text()).isEqualTo("tooth is broken");
            });
        }
    }

    @Test
    void the_default_engine_keeps_state_per_session() {
        try (Handoff handoff = Handoff.builder().build()) {
            HandoffSession a = handoff.open(Channel.CHAT);
            HandoffSession b = handoff.open(Channel.CHAT);

            a.ai("Let me look into that.", NluSignals.confidence(0.6));
            b.ai("Let me check.", NluSignals.confidence(0.9));
            HandoffDecision second = b.ai("One more moment please.", NluSignals.confidence(0.6));
            HandoffDecision streak = a.ai("I'm not certain, maybe the blue plan?", NluSignals.confidence(0.6));

            assertThat(second.isHandoff()).isFalse();
            assertThat(streak.reasons()).extracting(Reason::ruleId).containsExactly("confidence.soft");
        }
    }

    @Test
    void a_confidence_sent_as_a_percentage_is_refused_with_the_field_and_value() {
        try (Handoff handoff = Handoff.builder().build()) {
            HandoffSession chat = handoff.open(Channel.CHAT);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> chat.ai("Sure.", NluSignals.confidence(39)))
                    .isInstanceOf(dev.handoff.api.ValidationException.class)
                    .hasMessage("Invalid NLU signals of a AI turn (1 violation):\n"
                            + "  - signals.confidence: a fraction from 0 to 1 (0.39 for 39%) (was 39.0)");
            assertThat(chat.turns()).isEmpty();
        }
    }
}
