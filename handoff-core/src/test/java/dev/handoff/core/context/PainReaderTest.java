package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What counts as a pain point of one customer sentence. */
class PainReaderTest {

    private static List<String> pains(String... sentences) {
        PainReader r = new PainReader();
        for (String s : sentences) {
            r.read(s, 0, false, null);
        }
        return r.painPoints();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "This has never happened before.",
            "It's the first time this has happened.",
            "That's not what we agreed.",
            "So it's your mistake, not mine.",
            "That was your error.",
    })
    void a_first_occurrence_or_a_reaction_that_names_no_problem_is_not_a_pain_point(String sentence) {
        assertThat(pains(sentence)).isEmpty();
    }

    @Test
    void the_problem_next_to_the_reaction_and_a_recurrence_still_are() {
        assertThat(pains("That's not what we agreed, the invoice shows a $4,000 migration fee."))
                .containsExactly("the invoice shows a $4,000 migration fee");
        assertThat(pains("This isn't the first time.")).containsExactly("This isn't the first time");
        assertThat(pains("It's the same mistake as last month.")).containsExactly("It's the same mistake as last month");
        assertThat(pains("That's not what I ordered.")).containsExactly("That's not what I ordered");
    }

    @Test
    void the_obstacle_is_the_problem_rather_than_not_being_heard_about_it() {
        PainReader r = new PainReader();
        r.read("Your company charged my card three times for the same order and nobody answers my emails.", 0, false, null);

        assertThat(r.painPoints()).containsExactly("Your company charged my card three times for the same order", "nobody answers my emails");
        assertThat(r.latest(null)[0]).isEqualTo("Your company charged my card three times for the same order");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "The engineer never turned up on Tuesday.",
            "The heating makes a loud banging noise at night.",
            "Your website won't accept my postcode.",
            "My tooth has been throbbing since yesterday.",
            "The contract renewal price jumped by 30 percent.",
            "The delivery was left in the rain and everything is soaked.",
            "The battery dies within an hour.",
    })
    void complaints_in_everyday_words_are_pain_points(String sentence) {
        assertThat(pains(sentence)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I'd like to upgrade to the premium plan.",
            "What time do you close on Sundays?",
            "Everything arrived on time, thanks.",
            "I'm moving house next month and need to update my address.",
            "Is there a student discount?",
            "The new update looks great.",
    })
    void requests_and_thanks_are_not(String sentence) {
        assertThat(pains(sentence)).isEmpty();
    }
}
