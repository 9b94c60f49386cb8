package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of handoff-core's README table "What the deterministic observer understands, and what it does not",
 * left column: each one, read by the reader that owns its field, gives what the README says. (The right column's
 * limits are measured by handoff-eval's observer evaluation, not pinned here.)
 */
class ObserverUnderstandsTest {

    private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-03-02T09:00:00Z");

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "We've earmarked roughly sixty grand for the first year.   | 60000",
            "North of a million over the term.                         | 1000000",
            "We can spend up to forty thousand on hardware and software. | 40000",
            "Anything under $500 a month works for us.                 | 500",
    })
    void budgets_in_ordinary_speech(String sentence, BigDecimal amount) {
        BantReader r = new BantReader();
        r.read(sentence, 0, "What budget do you have in mind?", false);
        assertThat(r.budget().amount()).isEqualByComparingTo(amount);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Our COO approves any spend over ten thousand.             | The COO signs off",
            "Legal has the last word on contracts.                     | Legal signs off",
            "Our CFO wants a decision before the end of Q1.            | The CFO signs off",
    })
    void who_signs_off_without_the_words_sign_off(String sentence, String authority) {
        BantReader r = new BantReader();
        r.read(sentence, 0, "Who else is involved in the decision?", false);
        assertThat(r.authority()).isEqualTo(authority);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "I'd rather sort it within the next few weeks.             | next few weeks",
            "Ideally well ahead of tax season.                         | tax season",
            "We'd want them installed in time for the Christmas rush.  | Christmas",
            "It looks awful. Can you fit me in this afternoon?         | this afternoon",
            "No rush at all, whenever you get to it is fine.           | no rush",
            "We're just exploring, nothing decided and no timeframe yet. | no timeframe",
    })
    void timelines_as_people_say_them(String sentence, String contains) {
        TimelineReader r = new TimelineReader();
        for (String s : Sentences.split(sentence)) {
            r.read(s, NOW, "Thanks for the details.", false);
        }
        assertThat(r.timeline()).isNotNull().containsIgnoringCase(contains);
    }

    @ParameterizedTest
    @ValueSource(strings = {"We were billed twice this quarter.", "The trade show in March went well."})
    void background_dates_are_not_timelines(String sentence) {
        TimelineReader r = new TimelineReader();
        r.read(sentence, NOW, "Thanks for the details.", false);
        assertThat(r.timeline()).isNull();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "The app just spins when I open it.                        | spins",
            "The insurer is giving me the runaround.                   | runaround",
            "They charged my card three times.                         | three times",
    })
    void complaints_in_everyday_words(String sentence, String word) {
        PainReader r = new PainReader();
        r.read(sentence, 0, false, null);
        assertThat(r.painPoints()).anySatisfy(p -> assertThat(p).containsIgnoringCase(word));
    }
}
