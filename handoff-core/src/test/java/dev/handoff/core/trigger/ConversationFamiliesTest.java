package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Reason;
import dev.handoff.core.trigger.TriggerPolicy.Preset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The families that need a conversation: loops, sentiment over turns, confidence streaks, policies per session. */
class ConversationFamiliesTest {

    private final Conversation chat = new Conversation(TriggerTableTest.engine(Preset.DEFAULT));

    @Test
    void stock_replies_said_twice_are_not_a_loop() {
        chat.customer("sounds good");
        chat.ai("Great, anything else?", NluSignals.confidence(0.9));

        assertThat(chat.customer("sounds good").isHandoff()).isFalse();
        assertThat(chat.customer("ok great, thanks!").isHandoff()).isFalse();
    }

    @Test
    void repeating_an_address_the_bot_asked_to_confirm_is_not_a_loop() {
        chat.customer("please send it to my address, 14 Elm Street Springfield");
        chat.ai("Could you confirm the delivery address for me?", NluSignals.confidence(0.9));

        assertThat(chat.customer("my address is 14 Elm Street Springfield").isHandoff()).isFalse();
    }

    @Test
    void confirming_what_the_bot_read_back_in_a_question_is_not_a_loop() {
        chat.customer("I'd like to book a table for two");
        chat.ai("For which day?", NluSignals.confidence(0.9));
        chat.customer("Friday at 7");
        chat.ai("Friday at 7 for two, is that right?", NluSignals.confidence(0.9));

        assertThat(chat.customer("yes Friday at 7 for two").isHandoff()).isFalse();
    }

    @Test
    void a_repeat_after_a_bot_answer_that_echoes_without_asking_is_still_a_loop() {
        chat.customer("how do I reset the router password");
        chat.ai("To reset the router password, see the router guides in our help centre.", NluSignals.confidence(0.9));

        assertThat(chat.customer("how do I reset the router password").reasons())
                .extracting(Reason::ruleId).containsExactly("loop.repeat");
    }

    @Test
    void a_problem_reworded_three_times_is_a_loop() {
        assertThat(chat.customer("my internet keeps dropping every evening").isHandoff()).isFalse();
        chat.ai("Have you tried restarting your router?", NluSignals.confidence(0.9));
        assertThat(chat.customer("the wifi connection keeps cutting out at night").isHandoff()).isFalse();
        chat.ai("Please check the cables are plugged in firmly.", NluSignals.confidence(0.9));

        HandoffDecision third = chat.customer("the network disconnects every evening, over and over");

        assertThat(third.reasons()).extracting(Reason::ruleId).containsExactly("loop.rephrase");
        assertThat(third.reasons().get(0).detail()).startsWith("The customer has put the same problem three ways (turns 0, 2 and 4");
    }

    @Test
    void a_missing_delivery_put_in_other_words_is_a_loop() {
        assertThat(chat.customer("my parcel still hasn't arrived").isHandoff()).isFalse();
        chat.ai("Our records show it was delivered yesterday.", NluSignals.confidence(0.9));
        assertThat(chat.customer("I never received any package").isHandoff()).isFalse();
        chat.ai("The courier marked it as left at the door.", NluSignals.confidence(0.9));

        assertThat(chat.customer("no box ever came, I never received it").reasons())
                .extracting(Reason::ruleId).containsExactly("loop.repeat");
    }

    @Test
    void different_questions_about_one_delivery_are_not_a_loop() {
        assertThat(chat.customer("when will my package arrive?").isHandoff()).isFalse();
        chat.ai("It should arrive on Thursday.", NluSignals.confidence(0.9));
        assertThat(chat.customer("can I change the delivery address to my office?").isHandoff()).isFalse();
        chat.ai("Yes, what is the new address?", NluSignals.confidence(0.9));

        assertThat(chat.customer("and can someone sign for the parcel if I'm out at work").isHandoff()).isFalse();
    }

    @Test
    void a_repeat_names_the_earlier_turn_and_quotes_a_short_span() {
        String first = "I need to reset the password on my account because the old one stopped working yesterday evening";
        chat.customer(first);
        chat.ai("Sure! What's the email on the account?", NluSignals.confidence(0.9));

        Reason r = chat.customer(first + "!!").reasons().get(0);

        assertThat(r.ruleId()).isEqualTo("loop.repeat");
        assertThat(r.detail()).startsWith("The customer repeated turn 0 (\"I need to reset the password on my account because the old…\")");
        assertThat(r.evidence().text().length()).isLessThanOrEqualTo(LoopSignal.QUOTE);
    }

    @Test
    void sentiment_velocity_needs_a_fall_into_negative_territory() {
        chat.customer("this is wonderful", NluSignals.NONE.withSentiment(0.9));
        chat.customer("ok", NluSignals.NONE.withSentiment(0.5));

        assertThat(chat.customer("fine", NluSignals.NONE.withSentiment(0.1)).isHandoff()).as("delighted to neutral").isFalse();
        assertThat(chat.customer("hmm, that's not good", NluSignals.NONE.withSentiment(-0.35)).reasons())
                .extracting(Reason::ruleId).containsExactly("sentiment.velocity");
    }

    @Test
    void without_the_bots_score_the_lexicon_estimates_and_the_reason_says_so() {
        Conversation open = new Conversation(TriggerTableTest.engine(Preset.OPEN_DOOR));

        HandoffDecision d = open.customer("this is awful, I'm really angry");

        assertThat(d.reasons()).extracting(Reason::ruleId).contains("sentiment.negative");
        assertThat(d.reasons()).filteredOn(r -> r.ruleId().equals("sentiment.negative")).singleElement()
                .satisfies(r -> assertThat(r.detail()).endsWith("(lexicon estimate: the bot sent no score)"));
    }

    @Test
    void the_lexicon_fallback_can_be_switched_off() {
        TriggerPolicy noFallback = TriggerPolicy.parse("name: quiet\nextends: open-door\nsentiment: {fallback: NONE}\n");

        HandoffDecision d = new Conversation(new RuleTriggerEvaluator(noFallback)).customer("this is awful, I'm really angry");

        assertThat(d.reasons()).extracting(Reason::ruleId).doesNotContain("sentiment.negative");
    }

    @Test
    void the_customers_nlu_confidence_and_the_bots_confidence_are_separate_streaks() {
        chat.customer("blah blah", NluSignals.confidence(0.5));
        assertThat(chat.ai("I think you mean billing?", NluSignals.confidence(0.5)).isHandoff()).isFalse();
        chat.customer("no", NluSignals.confidence(0.9));

        HandoffDecision second = chat.ai("Maybe the premium plan then?", NluSignals.confidence(0.55));

        assertThat(second.reasons()).extracting(Reason::detail)
                .containsExactly("Bot confidence was under 0.65 for 2 turns in a row (now 0.55)");
    }

    @Test
    void reasons_never_read_the_same_number_on_both_sides_nor_one_turns() {
        Conversation open = new Conversation(TriggerTableTest.engine(Preset.OPEN_DOOR));
        assertThat(open.ai("I'm not sure.", NluSignals.confidence(0.68)).reasons()).extracting(Reason::detail)
                .containsExactly("Bot confidence was under 0.7 for 1 turn (now 0.68)");

        chat.ai("a", NluSignals.confidence(0.649));
        chat.ai("b", NluSignals.confidence(0.9));
        assertThat(chat.ai("c", NluSignals.confidence(0.398)).reasons()).extracting(Reason::detail)
                .containsExactly("Bot confidence 0.398 is under the hard floor 0.4");
        Conversation mean = new Conversation(TriggerTableTest.engine(Preset.DEFAULT));
        mean.ai("a", NluSignals.confidence(0.6));
        mean.ai("b", NluSignals.confidence(0.9));
        assertThat(mean.ai("c", NluSignals.confidence(0.448)).reasons()).extracting(Reason::detail)
                .containsExactly("Mean bot confidence over the last 3 turns is 0.649, under 0.65");
    }

    @Test
    void the_policy_is_chosen_per_session_from_the_customer_record_and_recorded_in_the_decision() {
        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(PolicySelection.builder(TriggerPolicy.defaults())
                .when("deal >= 50k", TriggerPolicy.preset(Preset.OPEN_DOOR))
                .when("deal < 10k", TriggerPolicy.preset(Preset.HIGH_GATE))
                .build());
        Conversation big = new Conversation(engine, "big").withCustomer(CustomerData.UNKNOWN.withField("acv", "$80,000"));
        Conversation small = new Conversation(engine, "small").withCustomer(CustomerData.UNKNOWN.withField("acv", "4k"));

        HandoffDecision early = big.ai("I'm not sure I follow.", NluSignals.confidence(0.68));
        HandoffDecision gated = small.ai("I'm not sure I follow.", NluSignals.confidence(0.5));

        assertThat(early.isHandoff()).isTrue();
        assertThat(early.policy()).isEqualTo("open-door");
        assertThat(gated.isHandoff()).isFalse();
        assertThat(gated.policy()).isEqualTo("high-gate");
    }

    @Test
    void a_stated_deal_value_moves_the_session_to_another_policy_mid_conversation() {
        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(PolicySelection.builder(TriggerPolicy.preset(Preset.HIGH_GATE))
                .when("deal >= 50k", TriggerPolicy.preset(Preset.OPEN_DOOR)).build());
        Conversation c = new Conversation(engine);

        assertThat(c.customer("hi, we're a small team looking at your tool").policy()).isEqualTo("high-gate");
        assertThat(c.customer("our budget for this year is around $120,000").policy()).isEqualTo("open-door");
        assertThat(c.ai("Hmm, let me check.", NluSignals.confidence(0.69)).reasons()).extracting(Reason::ruleId)
                .containsExactly("confidence.soft");
    }

    @Test
    void the_bot_can_choose_the_policy_and_the_language_of_a_session() {
        RuleTriggerEvaluator engine = new RuleTriggerEvaluator(PolicySelection.builder(TriggerPolicy.defaults())
                .when("tier == enterprise", TriggerPolicy.preset(Preset.OPEN_DOOR)).build());
        Conversation c = new Conversation(engine);

        engine.selectPolicy(c, "open-door");
        engine.selectLanguage(c, "es");

        HandoffDecision d = c.customer("quiero hablar con un agente");
        assertThat(d.policy()).isEqualTo("open-door");
        assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly("es.explicit.request");
    }

    @Test
    void turns_read_the_same_whatever_form_accents_arrive_in() {
        Conversation fr = new Conversation(TriggerTableTest.engine(Preset.DEFAULT)).withCustomer(CustomerData.UNKNOWN.withField("language", "fr"));
        String composed = "je veux parler à un conseill\u00e8re";
        String decomposed = "je veux parler a\u0300 un conseille\u0300re";

        Reason a = fr.customer(composed).reasons().get(0);
        Reason b = fr.customer(decomposed).reasons().get(0);

        assertThat(a.ruleId()).isEqualTo(b.ruleId()).isEqualTo("fr.explicit.request");
        assertThat(b.evidence().text()).isEqualTo(decomposed.substring(b.evidence().start(), b.evidence().end()));
        assertThat(b.evidence().text()).endsWith("conseille\u0300re");
    }

    @Test
    void signals_read_as_percentages_are_not_taken_for_fractions() {
        assertThat(NluSignals.confidence(39).violations()).singleElement()
                .satisfies(v -> assertThat(v.toString()).isEqualTo("signals.confidence: a fraction from 0 to 1 (0.39 for 39%) (was 39.0)"));
        assertThat(chat.ai("x", NluSignals.confidence(39)).isHandoff()).isFalse();
        assertThat(new NluSignals(null, null, null, -3.0, Map.of()).violations()).extracting(v -> v.path())
                .containsExactly("signals.sentiment");
    }
}
