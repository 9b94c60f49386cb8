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
            "This is terrible!!                         | -0.96",
            "Thanks, but the app is broken              | -0.408",
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
        LexiconSentimentAnalyzer telco = new LexiconSentimentAnalyzer(Map.of("outage", -0.7));

        assertThat(telco.score("another outage")).isEqualTo(-0.7);
        assertThat(analyzer.score("another outage")).isZero();
        assertThatThrownBy(() -> new LexiconSentimentAnalyzer(Map.of("outage", -1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("valence of \"outage\" must be in -1..1, was -1.5");
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
            "0.4 0.3 0.2 0.1         | DECLINING | -0.1   | Entering conversation at Medium Urgency / High Trust",
            "0.4 0.1 -0.2 -0.5       | DECLINING | -0.3   | Entering conversation at High Urgency / Medium Trust",
            "-0.6 -0.3 0.0 0.3       | IMPROVING | 0.3    | Entering conversation at Low Urgency / High Trust",
            "0.2 0.2 0.2 0.0 -0.3    | DECLINING | -0.17  | Entering conversation at Medium Urgency / Medium Trust",
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
