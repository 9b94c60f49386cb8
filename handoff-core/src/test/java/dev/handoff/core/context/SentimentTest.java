package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NluSignals;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.SentimentTrack.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentimentTest {

    private final LexiconSentimentAnalyzer analyzer = new LexiconSentimentAnalyzer();
    private static final Instant T = Instant.parse("2026-01-01T10:00:00Z");

    @ParameterizedTest(name = "\"{0}\" scores {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                         | 0.0",
            "I would like to book an appointment        | 0.0",
            "This is good                               | 0.4",
            "This is not good                           | -0.24",
            "This is very good                          | 0.6",
            "This is slightly bad                       | -0.25",
            "That's not bad at all                      | 0.3",
            "TERRIBLE                                   | -1.0",
            "This is bad!                               | -0.65",
            "This is bad!!                              | -0.8",
            "This is bad!!!!!                           | -0.95",
            "Thanks, but the app is broken              | -0.539",
            "You don't understand                       | -0.5",
            "I was never happy                          | -0.36",
    })
    void lexicon_handles_negation_intensifiers_contrast_and_emphasis(String text, double expected) {
        assertThat(analyzer.score(text)).isEqualTo(expected);
    }

    @Test
    void every_text_scores_within_minus_one_and_one() {
        assertThat(analyzer.score("terrible awful horrible useless stupid ridiculous worst hate!!!")).isEqualTo(-1.0);
        assertThat(analyzer.score("excellent amazing perfect wonderful love!!!")).isEqualTo(1.0);
        assertThat(analyzer.score(null)).isZero();
    }

    @Test
    void domain_words_can_be_added_and_bad_valences_are_refused() {
        LexiconSentimentAnalyzer telco = new LexiconSentimentAnalyzer(Map.of("brownout", -0.7));

        assertThat(telco.score("another brownout")).isEqualTo(-0.7);
        assertThat(analyzer.score("another brownout")).isZero();
        assertThatThrownBy(() -> new LexiconSentimentAnalyzer(Map.of("brownout", -1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("valence of \"brownout\" must be in -1..1, was -1.5");
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            // sarcasm, panic and threats are not neutral (issue 18)
            "Oh great, another chatbot. Just what I needed today.                              | negative",
            "Great, your service is down AGAIN. Third time this month. Fantastic job, really.   | negative",
            "Your Pro plan doubled in price. So that's a no. Brilliant.                          | negative",
            "Please hurry, I'm panicking here.                                                  | negative",
            "If they're not back by Friday I'm disputing them with my bank.                     | negative",
            "It better be today. I'll believe it when I see it.                                 | negative",
            // praise before a past problem is praise; politeness is not delight
            "Excellent. The last system crashed every Friday night.                             | not negative",
            "Great, thanks for sorting it.                                                      | positive",
            "Okay, thanks.                                                                      | neutral",
            "That helps. Thank you so much.                                                     | positive",
    })
    void sarcasm_panic_and_threats_read_as_customers_mean_them(String text, String expected) {
        double score = analyzer.score(text);
        switch (expected) {
            case "negative" -> assertThat(score).isLessThan(-0.2);
            case "not negative" -> assertThat(score).isGreaterThan(-0.2);
            case "positive" -> assertThat(score).isGreaterThan(0.2);
            default -> assertThat(score).isBetween(-0.1, 0.1);
        }
    }

    @Test
    void a_customer_who_calmed_down_is_improving_and_one_who_asks_for_a_manager_is_not() {
        SentimentVelocity v = new SentimentVelocity(analyzer);
        List<Turn> calmed = List.of(turn(Speaker.CUSTOMER, "I'm furious, you charged me twice for the same order!"),
                turn(Speaker.AI, "I've refunded the duplicate charge."), turn(Speaker.CUSTOMER, "Oh thank you, that's a relief."));
        List<Turn> manager = List.of(turn(Speaker.CUSTOMER, "The bill went up again and nobody told me."),
                turn(Speaker.AI, "I can't change the rate."), turn(Speaker.CUSTOMER, "Okay."),
                turn(Speaker.AI, "Is there anything else?"), turn(Speaker.CUSTOMER, "Then get me a manager."));

        assertThat(v.track(calmed).trend()).isEqualTo(SentimentTrack.Trend.IMPROVING);
        assertThat(WhisperWriter.sentiment(v.track(calmed))).doesNotContain("worse").startsWith("Positive now after a rough start");
        assertThat(v.track(manager).trend()).isEqualTo(SentimentTrack.Trend.DECLINING);
    }

    @Test
    void going_along_after_a_complaint_is_steady_and_a_manager_named_in_passing_is_not_a_demand() {
        SentimentVelocity v = new SentimentVelocity(analyzer);
        List<Turn> goingAlong = List.of(turn(Speaker.CUSTOMER, "Your checkout keeps failing. This is absurd."),
                turn(Speaker.AI, "I'll ask the payments team to look at it today."), turn(Speaker.CUSTOMER, "Fine."));
        List<Turn> thanked = List.of(turn(Speaker.CUSTOMER, "Your checkout keeps failing. This is absurd."),
                turn(Speaker.AI, "I'll ask the payments team to look at it today."), turn(Speaker.CUSTOMER, "Fine, thanks."));
        List<Turn> plantManager = List.of(turn(Speaker.CUSTOMER, "Our payroll provider is shutting down and it's a problem."),
                turn(Speaker.AI, "We can migrate you in a week."),
                turn(Speaker.CUSTOMER, "Oh that's great. The plant manager and I decide together."));

        assertThat(v.track(goingAlong).trend()).isEqualTo(SentimentTrack.Trend.STABLE);
        assertThat(v.track(thanked).trend()).isEqualTo(SentimentTrack.Trend.IMPROVING);
        assertThat(v.track(plantManager).trend()).isEqualTo(SentimentTrack.Trend.IMPROVING);
    }

    /**
     * Observer sentiment family 1 (handoff-eval, written and labelled before the observer ran on it, 2026-12-05):
     * "I don't trust this at all" and "feels like a bait and switch" were not read as distrust, and a customer who
     * ends by threatening to dispute the charge and cancel everything was steady. Look-alikes written after the change:
     * distrust of oneself, a calm question about disputing, and a dispute that is only a condition on a refund already
     * made, change nothing.
     */
    @Test
    void distrust_in_plain_words_lowers_trust_and_a_threat_to_dispute_ends_the_conversation_worse() {
        SentimentVelocity v = new SentimentVelocity(analyzer);
        List<Turn> bot = List.of(turn(Speaker.CUSTOMER, "Are you even a real law firm?"), turn(Speaker.AI, "I'm the firm's virtual assistant."),
                turn(Speaker.CUSTOMER, "A bot. Of course. I don't trust this at all."));
        List<Turn> baitAndSwitch = List.of(turn(Speaker.CUSTOMER, "Your demo last week was great, we're keen to move forward."),
                turn(Speaker.AI, "I've prepared a quote for 30 seats."),
                turn(Speaker.CUSTOMER, "Hm, that's quite a bit higher than we were told on the call."),
                turn(Speaker.AI, "The quote includes onboarding, a one-time fee of 4,000."),
                turn(Speaker.CUSTOMER, "Nobody mentioned that. Honestly that feels like a bait and switch, and I'm not happy about it."));
        List<Turn> dispute = List.of(turn(Speaker.CUSTOMER, "There's a charge on my card I don't recognise."),
                turn(Speaker.AI, "Refunds on renewals are reviewed within 10 business days."),
                turn(Speaker.CUSTOMER, "Ten days? No. If it's not back by Friday I'm disputing it with my bank and cancelling everything."));
        List<Turn> self = List.of(turn(Speaker.CUSTOMER, "I don't trust myself to set it up, can you walk me through it?"),
                turn(Speaker.AI, "Of course."), turn(Speaker.CUSTOMER, "Great, thanks."));
        List<Turn> askingHow = List.of(turn(Speaker.CUSTOMER, "I was charged twice last month."),
                turn(Speaker.AI, "I'm sorry, let me look."), turn(Speaker.CUSTOMER, "Can I dispute it online, or do I need to call?"));

        assertThat(v.track(bot).trust()).isEqualTo(SentimentTrack.Level.LOW);
        assertThat(v.track(baitAndSwitch).trust()).isEqualTo(SentimentTrack.Level.LOW);
        assertThat(v.track(dispute).trend()).isEqualTo(SentimentTrack.Trend.DECLINING);
        assertThat(v.track(self).trust()).isEqualTo(SentimentTrack.Level.HIGH);
        assertThat(v.track(askingHow).trend()).isNotEqualTo(SentimentTrack.Trend.DECLINING);
        List<Turn> refunded = List.of(turn(Speaker.CUSTOMER, "You charged my card three times and nobody answers my emails."),
                turn(Speaker.AI, "I've refunded the two duplicate charges."),
                turn(Speaker.CUSTOMER, "Fine. But if they're not back by Friday I'm disputing them with my bank."));
        assertThat(v.track(refunded).trend()).isNotEqualTo(SentimentTrack.Trend.DECLINING);
        // observer family 5: the same answer pasted again is distrust, like "I already told you"
        List<Turn> pasted = List.of(turn(Speaker.CUSTOMER, "This is my fourth email. Every time I get the same copy-paste answer."),
                turn(Speaker.AI, "Can you tell me the order number?"), turn(Speaker.CUSTOMER, "It's in every one of my emails."));
        assertThat(v.track(pasted).trust()).isEqualTo(SentimentTrack.Level.LOW);
        // observer family 7: "a policy, not an answer"
        List<Turn> policy = List.of(turn(Speaker.CUSTOMER, "Your website charged me twice for the same tickets."),
                turn(Speaker.AI, "Refunds for duplicate payments are processed within 3 to 5 business days."),
                turn(Speaker.CUSTOMER, "So will you refund it or not? That's a policy, not an answer."));
        assertThat(v.track(policy).trust()).isNotEqualTo(SentimentTrack.Level.HIGH);
    }

    @Test
    void low_trust_is_shown_when_the_customer_voices_distrust() {
        SentimentVelocity v = new SentimentVelocity(analyzer);
        List<Turn> distrust = List.of(turn(Speaker.CUSTOMER, "Are you even a real person? I already told you my order number."),
                turn(Speaker.AI, "I'm sorry, I'll check again."), turn(Speaker.CUSTOMER, "I'll believe it when I see it."));
        List<Turn> fine = List.of(turn(Speaker.CUSTOMER, "I'd like to book a cleaning."), turn(Speaker.AI, "Thursday at 3pm works."),
                turn(Speaker.CUSTOMER, "Perfect, thanks."));

        assertThat(v.track(distrust).trust()).isEqualTo(SentimentTrack.Level.LOW);
        assertThat(v.track(distrust).label()).endsWith("Low Trust");
        assertThat(v.track(fine).trust()).isEqualTo(SentimentTrack.Level.HIGH);
    }

    private static List<Turn> customerScores(double... scores) {
        List<Turn> turns = new ArrayList<>();
        for (double s : scores) {
            turns.add(new Turn(turns.size(), Speaker.CUSTOMER, "turn " + turns.size(), T, new NluSignals(null, null, null, s, Map.of()), false));
            turns.add(new Turn(turns.size(), Speaker.AI, "I see.", T, null, false));
        }
        return turns;
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "0.4 0.38 0.36 0.34      | STABLE    | -0.02  | Entering conversation at Low Urgency / High Trust",
            // cooling while still positive is not a decline: only a fall into negative territory is
            "0.4 0.3 0.2 0.1         | STABLE    | -0.1   | Entering conversation at Low Urgency / High Trust",
            // a fall lowers trust only with words of distrust (see the trust test below)
            "0.4 0.1 -0.2 -0.5       | DECLINING | -0.3   | Entering conversation at High Urgency / High Trust",
            "-0.6 -0.3 0.0 0.3       | IMPROVING | 0.3    | Entering conversation at Low Urgency / High Trust",
            "0.2 0.2 0.2 0.0 -0.3    | DECLINING | -0.17  | Entering conversation at Medium Urgency / High Trust",
            "-0.7 -0.7               | STABLE    | 0.0    | Entering conversation at High Urgency / High Trust",
    })
    void bot_scores_give_slope_trend_and_label(String scores, SentimentTrack.Trend trend, double velocity, String label) {
        double[] s = java.util.Arrays.stream(scores.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();

        SentimentTrack track = new SentimentVelocity(analyzer).track(customerScores(s));

        assertThat(track.series()).hasSize(s.length);
        assertThat(track.trend()).isEqualTo(trend);
        assertThat(track.velocity()).isEqualTo(velocity);
        assertThat(track.label()).isEqualTo(label);
    }

    private static Turn turn(Speaker speaker, String text) {
        return new Turn(0, speaker, text, T, null, false);
    }

    private static List<Turn> indexed(Turn... turns) {
        List<Turn> out = new ArrayList<>();
        for (Turn t : turns) {
            out.add(new Turn(out.size(), t.speaker(), t.text(), T, t.signals(), t.partial()));
        }
        return out;
    }

    @Test
    void markers_show_closed_questions_pricing_hesitation_and_repetition_where_the_text_does() {
        SentimentTrack track = new SentimentVelocity(analyzer).track(indexed(
                turn(Speaker.CUSTOMER, "How does your onboarding work for a team of twenty?"),
                turn(Speaker.AI, "Onboarding is guided and the Team plan is $30 per seat per month."),
                turn(Speaker.CUSTOMER, "Hmm, that's more than we expected."),
                turn(Speaker.CUSTOMER, "Is that the final price?"),
                turn(Speaker.CUSTOMER, "Does it include support?"),
                turn(Speaker.CUSTOMER, "Is that the final price?")));

        assertThat(track.markers()).containsExactly(SentimentVelocity.CLOSED_QUESTIONS, SentimentVelocity.PRICING_HESITATION,
                SentimentVelocity.REPETITION);
    }

    @Test
    void a_calm_conversation_has_no_markers_and_distrust_lowers_trust() {
        SentimentVelocity velocity = new SentimentVelocity(analyzer);

        SentimentTrack calm = velocity.track(indexed(turn(Speaker.CUSTOMER, "What are your opening hours?"),
                turn(Speaker.AI, "We open at nine."), turn(Speaker.CUSTOMER, "Great, thanks.")));
        SentimentTrack doubtful = velocity.track(indexed(turn(Speaker.CUSTOMER, "Are you a bot? You don't understand."),
                turn(Speaker.AI, "I'm not sure I understood."), turn(Speaker.CUSTOMER, "I already told you twice.")));

        assertThat(calm.markers()).isEmpty();
        assertThat(calm.trust()).isEqualTo(Level.HIGH);
        assertThat(doubtful.trust()).isEqualTo(Level.LOW);
        assertThatThrownBy(() -> new SentimentVelocity(analyzer, 1))
                .hasMessage("velocity window must be at least 2 customer turns, was 1");
    }
}
