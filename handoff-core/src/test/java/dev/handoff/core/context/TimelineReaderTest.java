package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Timelines a customer names by an event rather than a date. */
class TimelineReaderTest {

    private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-03-02T09:00:00Z");
    private static final String ASKED = "Happy to help. When would you need it?";

    private static String timeline(String sentence) {
        TimelineReader r = new TimelineReader();
        r.read(sentence, NOW, ASKED, false);
        return r.timeline();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Ideally before Christmas.                              | before Christmas",
            "We want this in place in time for the holidays.        | in time for the holidays",
            "It has to be sorted before the audit.                  | before the audit",
            "After the holidays is fine.                            | after the holidays",
            "Before the school year starts.                         | before the school year starts",
            "We'd like to sign before the fiscal year ends.         | before the fiscal year ends",
            "We need it ahead of tax season.                        | ahead of tax season",
            "The sooner the better.                                 | the sooner the better",
            "We're hoping to switch over in the new year.           | in the New Year",
            "Can we get it delivered before the weekend?            | before the weekend",
            "The lease runs out at the end of the month.            | runs out at the end of the month",
            "The board meets in two weeks and wants a recommendation. | meets in two weeks",
            "I was counting on having it this week.                 | counting on having it this week",
            "We were hoping to go live by March 20.                 | by March 20",
            "I was really hoping to get it sorted before the weekend. | before the weekend",
    })
    void an_event_or_a_plea_for_speed_is_a_timeline(String sentence, String expected) {
        assertThat(timeline(sentence)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "We were billed twice before Christmas.",
            "I paid the invoice before the audit.",
            "What do you charge for a wedding?",
            "The lease ran out last month.",
            "I was away in the new year.",
            "The board met two weeks ago.",
            "It was supposed to arrive on Saturday.",
            "I was hoping it had shipped on Monday.",
            "We were told it would be fixed by Friday.",
    })
    void an_event_in_the_past_or_without_a_deadline_word_is_not(String sentence) {
        assertThat(timeline(sentence)).isNull();
    }
}
