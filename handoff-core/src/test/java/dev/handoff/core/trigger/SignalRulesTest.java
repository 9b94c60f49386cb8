package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffDecision.Action;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules that read NLU signals, the session's history and the customer's record. */
class SignalRulesTest {

    private final RuleTriggerEvaluator engine = TriggerTableTest.engine(Preset.DEFAULT);
    private final Conversation chat = new Conversation(engine);

    /** An intent with no bot confidence (an NLU classifier's output on the customer's turn). */
    private static NluSignals intentOnly(String intent) {
        return new NluSignals(null, intent, 0.5, null, Map.of());
    }

    private static Reason only(HandoffDecision decision) {
        assertThat(decision.reasons()).hasSize(1);
        return decision.reasons().get(0);
    }

    @Test
    void confidence_under_the_hard_floor_hands_off_at_once() {
        HandoffDecision decision = chat.ai("I'm not sure I understood that.", NluSignals.confidence(0.31));

        Reason r = only(decision);
        assertThat(decision.action()).isEqualTo(Action.HANDOFF);
        assertThat(r.kind()).isEqualTo(TriggerKind.CONFIDENCE);
        assertThat(r.ruleId()).isEqualTo("confidence.floor");
        assertThat(r.observed()).isEqualTo(0.31);
        assertThat(r.threshold()).isEqualTo(0.40);
        assertThat(r.detail()).isEqualTo("Bot confidence 0.31 is under the hard floor 0.4");
        assertThat(r.turnIndex()).isZero();
    }

    @Test
    void one_soft_dip_continues_but_two_in_a_row_hand_off() {
        assertThat(chat.ai("Your plan renews on the first.", NluSignals.confidence(0.6)).isHandoff()).isFalse();
        assertThat(chat.customer("ok and the price?").isHandoff()).isFalse();

        HandoffDecision second = chat.ai("I think it might be the premium tier.", NluSignals.confidence(0.55));

        Reason r = only(second);
        assertThat(r.ruleId()).isEqualTo("confidence.soft");
        assertThat(r.detail()).isEqualTo("Bot confidence was under 0.65 for 2 turns in a row (now 0.55)");
        assertThat(r.observed()).isEqualTo(0.55);
        assertThat(r.threshold()).isEqualTo(0.65);
    }

    @Test
    void a_low_rolling_mean_hands_off_even_without_a_streak() {
        assertThat(chat.ai("a", NluSignals.confidence(0.5)).isHandoff()).isFalse();
        assertThat(chat.ai("b", NluSignals.confidence(0.8)).isHandoff()).isFalse();

        Reason r = only(chat.ai("c", NluSignals.confidence(0.6)));

        assertThat(r.ruleId()).isEqualTo("confidence.mean");
        assertThat(r.observed()).isEqualTo(0.63);
        assertThat(r.detail()).isEqualTo("Mean bot confidence over the last 3 turns is 0.63, under 0.65");
    }

    @Test
    void confident_turns_never_fire() {
        for (int i = 0; i < 10; i++) {
            assertThat(chat.ai("Answer number " + i + " about topic " + (char) ('a' + i), NluSignals.confidence(0.9)).isHandoff()).isFalse();
        }
    }

    @Test
    void sentiment_under_the_threshold_hands_off_with_high_priority() {
        HandoffDecision decision = chat.customer("fine.", new NluSignals(null, null, null, -0.8, Map.of()));

        Reason r = only(decision);
        assertThat(r.ruleId()).isEqualTo("sentiment.negative");
        assertThat(r.observed()).isEqualTo(-0.8);
        assertThat(r.threshold()).isEqualTo(-0.6);
        assertThat(decision.priority()).isEqualTo(Priority.HIGH);
    }

    @Test
    void sentiment_falling_fast_hands_off_before_it_is_negative() {
        NluSignals none = NluSignals.NONE;
        assertThat(chat.customer("sounds good", none.withSentiment(0.6)).isHandoff()).isFalse();
        assertThat(chat.customer("hmm, wait", none.withSentiment(0.2)).isHandoff()).isFalse();

        Reason r = only(chat.customer("that is not what the page said", none.withSentiment(-0.2)));

        assertThat(r.ruleId()).isEqualTo("sentiment.velocity");
        assertThat(r.kind()).isEqualTo(TriggerKind.NEGATIVE_SENTIMENT);
        assertThat(r.observed()).isEqualTo(-0.4);
        assertThat(r.threshold()).isEqualTo(-0.3);
        assertThat(r.detail()).isEqualTo("Customer sentiment fell from 0.6 to -0.2 over 3 turns (-0.4 per turn, threshold -0.3)");
    }

    @Test
    void sentiment_drifting_slowly_does_not_fire() {
        NluSignals none = NluSignals.NONE;
        chat.customer("ok", none.withSentiment(0.5));
        chat.customer("alright", none.withSentiment(0.4));

        assertThat(chat.customer("sure", none.withSentiment(0.3)).isHandoff()).isFalse();
    }

    @Test
    void the_customer_rephrasing_the_same_request_is_a_loop() {
        assertThat(chat.customer("I need to reset my password").isHandoff()).isFalse();
        assertThat(chat.ai("Sure! What's the email on the account?", NluSignals.confidence(0.9)).isHandoff()).isFalse();

        HandoffDecision decision = chat.customer("how do I reset my password??");

        Reason r = only(decision);
        assertThat(r.ruleId()).isEqualTo("loop.repeat");
        assertThat(r.kind()).isEqualTo(TriggerKind.CONVERSATION_LOOP);
        assertThat(r.observed()).isEqualTo(1.0);
        assertThat(r.threshold()).isEqualTo(0.6);
        assertThat(r.evidence().text()).isEqualTo("how do I reset my password??");
        assertThat(r.turnIndex()).isEqualTo(2);
    }

    @Test
    void different_requests_and_short_acknowledgements_are_not_a_loop() {
        chat.customer("I need to reset my password");
        chat.customer("yes");
        chat.customer("yes");
        assertThat(chat.customer("also, where is my latest invoice").isHandoff()).isFalse();
        assertThat(chat.customer("ok thanks").isHandoff()).isFalse();
    }

    @Test
    void the_bot_giving_the_same_answer_again_is_a_loop() {
        chat.ai("You can reset your password from the login page.", NluSignals.confidence(0.9));
        chat.customer("it does not work");

        Reason r = only(chat.ai("You can reset your password from the login page!", NluSignals.confidence(0.9)));

        assertThat(r.ruleId()).isEqualTo("loop.bot-repeat");
        assertThat(r.detail()).isEqualTo("The bot gave the same answer as in turn 0 (similarity 1, threshold 0.9)");
    }

    @Test
    void consecutive_fallback_intents_hand_off_and_a_match_resets_the_count() {
        assertThat(chat.customer("blorp", intentOnly("fallback")).isHandoff()).isFalse();
        assertThat(chat.customer("my order", intentOnly("order_status")).isHandoff()).isFalse();
        assertThat(chat.customer("zzz", intentOnly("fallback")).isHandoff()).isFalse();

        Reason r = only(chat.customer("qwerty", intentOnly("no_match")));

        assertThat(r.ruleId()).isEqualTo("loop.fallback");
        assertThat(r.observed()).isEqualTo(2.0);
        assertThat(r.threshold()).isEqualTo(2.0);
    }

    @Test
    void a_complex_intent_hands_off() {
        Reason r = only(chat.customer("I want to combine things", NluSignals.intent("account_merge", 0.9)));

        assertThat(r.ruleId()).isEqualTo("complex.intent");
        assertThat(r.detail()).isEqualTo("Intent \"account_merge\" is configured as complex");
    }

    @Test
    void too_many_intents_in_one_turn_hand_off() {
        Reason r = only(chat.customer("refund, new address and upgrade", NluSignals.intent("refund+change_address+upgrade", 0.8)));

        assertThat(r.ruleId()).isEqualTo("complex.multi-intent");
        assertThat(r.observed()).isEqualTo(3.0);
        assertThat(r.threshold()).isEqualTo(2.0);
    }

    @Test
    void too_many_intents_in_one_session_hand_off_once() {
        for (String intent : List.of("billing", "shipping", "returns", "warranty")) {
            assertThat(chat.customer("about " + intent, NluSignals.intent(intent, 0.9)).isHandoff()).isFalse();
        }

        Reason r = only(chat.customer("and loyalty points", NluSignals.intent("loyalty", 0.9)));

        assertThat(r.ruleId()).isEqualTo("complex.session-intents");
        assertThat(r.observed()).isEqualTo(5.0);
        assertThat(chat.customer("and gift cards", NluSignals.intent("gift_cards", 0.9)).isHandoff()).isFalse();
    }

    @Test
    void repeated_contact_from_customer_data_hands_off_once_with_high_priority() {
        Instant start = Conversation.START;
        chat.withCustomer(new CustomerData("cus-1", Map.of(), Map.of(),
                List.of(start.minus(Duration.ofDays(20)), start.minus(Duration.ofDays(3)), start.minus(Duration.ofHours(5)))));

        HandoffDecision decision = chat.customer("hello again");

        Reason r = only(decision);
        assertThat(r.ruleId()).isEqualTo("urgency.repeat-contact");
        assertThat(r.kind()).isEqualTo(TriggerKind.URGENCY);
        assertThat(r.observed()).isEqualTo(2.0);
        assertThat(r.detail()).isEqualTo("The customer contacted us 2 times in the last 7 days before this conversation (limit 2)");
        assertThat(decision.priority()).isEqualTo(Priority.HIGH);
        assertThat(chat.customer("are you there").isHandoff()).isFalse();
    }

    @Test
    void one_earlier_contact_is_not_repeated_contact() {
        chat.withCustomer(new CustomerData("cus-1", Map.of(), Map.of(), List.of(Conversation.START.minus(Duration.ofDays(2)))));

        assertThat(chat.customer("hello").isHandoff()).isFalse();
    }

    @Test
    void a_long_session_hands_off_once() {
        chat.customer("hi");
        chat.advance(Duration.ofMinutes(21));

        Reason r = only(chat.customer("still working on it"));

        assertThat(r.ruleId()).isEqualTo("urgency.duration");
        assertThat(r.observed()).isEqualTo(21.08);
        assertThat(r.threshold()).isEqualTo(20.0);
        assertThat(chat.customer("ok").isHandoff()).isFalse();
    }

    @Test
    void kill_switch_raises_a_silent_alarm_on_the_priority_route_ahead_of_other_reasons() {
        HandoffDecision decision = chat.customer("This is stupid, I want a human");

        assertThat(decision.action()).isEqualTo(Action.SILENT_ALARM);
        assertThat(decision.priority()).isEqualTo(Priority.URGENT);
        assertThat(decision.routeHint()).isEqualTo("priority");
        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly("kill.abuse", "explicit.request");
        assertThat(decision.reasons().get(0).detail()).startsWith("Kill switch (abuse)");
        assertThat(decision.policy()).isEqualTo("default");
        assertThat(decision.reasons().get(0).kind()).isEqualTo(TriggerKind.KILL_SWITCH);
    }

    @Test
    void urgency_raises_the_priority_of_a_request() {
        HandoffDecision decision = chat.customer("it's urgent, get me a human");

        assertThat(decision.action()).isEqualTo(Action.HANDOFF);
        assertThat(decision.priority()).isEqualTo(Priority.HIGH);
        assertThat(decision.reasons()).extracting(Reason::ruleId).containsExactly("urgency.words", "explicit.request");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            we need SAML SSO and your API latency numbers          | solutions-engineer
            can we get a volume discount on 200 seats              | account-executive
            we'd need a custom deployment in our VPC               | solutions-engineer
            the contract terms need a redline from our counsel      | account-executive
            """)
    void sales_and_technical_reasons_carry_a_route_hint(String utterance, String route) {
        HandoffDecision decision = new Conversation(TriggerTableTest.engine(Preset.B2B_SALES)).customer(utterance);

        assertThat(decision.action()).isEqualTo(Action.HANDOFF);
        assertThat(decision.routeHint()).isEqualTo(route);
    }

    @Test
    void amounts_are_converted_to_the_policy_currency_and_explained() {
        Reason r = only(chat.customer("we could go to EUR 50k"));

        assertThat(r.ruleId()).isEqualTo("sales.amount");
        assertThat(r.observed()).isEqualTo(54000.0);
        assertThat(r.threshold()).isEqualTo(50000.0);
        assertThat(r.detail()).isEqualTo("Deal value 50,000 EUR (54,000 USD) is at or over the threshold 50,000 USD: \"EUR 50k\"");
        assertThat(r.evidence()).extracting(e -> e.start(), e -> e.end()).containsExactly(15, 22);
    }

    @Test
    void dental_preset_hands_off_under_70_percent_confidence_and_pain_is_urgent() {
        Conversation call = new Conversation(TriggerTableTest.engine(Preset.DENTAL_PRACTICE));

        Reason r = only(call.ai("I think Tuesday at 3 works?", NluSignals.confidence(0.68)));
        HandoffDecision pain = call.customer("also my tooth hurts a lot, there's a lot of pain");

        assertThat(r.ruleId()).isEqualTo("confidence.soft");
        assertThat(r.threshold()).isEqualTo(0.70);
        assertThat(pain.priority()).isEqualTo(Priority.URGENT);
        assertThat(pain.routeHint()).isEqualTo("clinical-staff");
        assertThat(pain.reasons()).extracting(Reason::ruleId).contains("dental.pain");
    }

    @Test
    void partial_turns_are_not_evaluated() {
        var partial = new dev.handoff.api.Turn(0, dev.handoff.api.Speaker.CUSTOMER, "I want a hu", Conversation.START, null, true);

        assertThat(engine.evaluate(chat, partial)).isEqualTo(HandoffDecision.proceed());
    }
}
