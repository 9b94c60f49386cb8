package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatesTest {

    /** A Monday morning. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 2, 9, 0, 25, 0, ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Someone will call you back tomorrow at 3pm.                         | 2026-03-03T15:00",
            "A specialist will call you back within 2 hours.                     | 2026-03-02T11:00",
            "I'll email you a confirmation within the hour.                      | 2026-03-02T10:00",
            "someone will call you within 30 minutes                             | 2026-03-02T09:30",
            "they will contact you within 24 hours                               | 2026-03-03T09:00",
            "I'll email you findings within 2 business days.                     | 2026-03-04",
            "A replacement card will arrive in 3 to 5 business days.             | 2026-03-09",
            "I've booked you for Thursday, March 12th at 2pm.                    | 2026-03-12T14:00",
            "I've booked Mia for Thursday, March 12th at 4pm with our hygienist. | 2026-03-12T16:00",
            "An engineer is booked to visit on Thursday between 8am and noon.    | 2026-03-05T08:00",
            "I've booked a technician for tomorrow morning between 8 and 10.     | 2026-03-03T08:00",
            "A heating engineer will be with you today before 6pm.               | 2026-03-02T18:00",
            "I'll call you by 4pm today.                                         | 2026-03-02T16:00",
            "The courier will collect it on Friday, March 6th.                   | 2026-03-06",
            "your order will ship by Monday, March 9th.                          | 2026-03-09",
            "I can book you with a hygienist next Tuesday at 1pm.                | 2026-03-10T13:00",
            "Dr. Chen at 10:30 am on Wednesday                                   | 2026-03-04T10:30",
            "You're booked for today at 4:45pm.                                  | 2026-03-02T16:45",
            "Dr. Lee can see you tomorrow at 12:15pm for bonding.                | 2026-03-03T12:15",
            "It will arrive by Tuesday, March 3rd.                               | 2026-03-03",
            "They'll call you on Wednesday afternoon.                            | 2026-03-04",
            "I'll send the quote today.                                          | 2026-03-02",
            "Tomorrow at 3 works.                                                | 2026-03-03T15:00",
            "I'll ask them to call you at 3 p.m.                                 | 2026-03-02T15:00",
            "the next available is Monday, March 9th at 9:30am with Sam          | 2026-03-09T09:30",
            "Booked for Saturday, April 4th, starting at 9am.                    | 2026-04-04T09:00",
            "I'll email you an estimate by tomorrow.                             | 2026-03-03",
            "It should reach you by the end of today.                            | 2026-03-02",
            "I'll email you the full pricing sheet by Friday.                    | 2026-03-06",
            "see you on 2026-03-20                                               | 2026-03-20",
            "Refunds take 5 to 10 days normally, I think.                        | ''",
            "We charge $20 per seat for 3 users.                                 | ''",
            "Your plan covers 2 cleanings a year.                                | ''",
            "I can see it was delivered yesterday.                               | ''",
    })
    void promised_moments_resolve_against_the_turn_time(String text, String expected) {
        assertThat(Dates.when(text, 0, text.length(), NOW)).isEqualTo(expected.isEmpty() ? null : expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "We'd want to sign by end of Q2.                        | by end of Q2                | 2026-06-30 | false",
            "before our peak season starts in May                   | in May                      | 2026-05-01 | false",
            "we need it live ahead of the board meeting in April    | in April                    | 2026-04-01 | false",
            "ahead of tax season                                    | ahead of tax season         | 2026-03-01 | false",
            "by the end of next month                               | by the end of next month    | 2026-04-30 | false",
            "before we move in on the 16th of March                 | on the 16th of March        | 2026-03-16 | false",
            "We want to announce it in mid-April.                   | in mid-April                | 2026-04-15 | false",
            "starting in the fall semester                          | in the fall semester        | 2026-09-01 | false",
            "We launch in eight weeks so timing is tight.           | in eight weeks              | 2026-04-27 | false",
            "I was billed twice this quarter                        | this quarter                | 2026-01-01 | false",
            "I have to respond by March 20th.                       | by March 20th               | 2026-03-20 | false",
            "I never ordered anything on February 20th.             | on February 20th            | 2026-02-20 | true",
            "It's been like this for two weeks                      | two weeks                   |            | true",
            "I ordered it about two weeks ago                       | about two weeks ago         |            | true",
            "since last Friday                                      | since last                  |            | true",
            "I fell last night                                      | last night                  | 2026-03-01 | true",
            // a day of the month before or after this one (observer family 6)
            "On the 3rd of last month, two days after signing up.   | On the 3rd of last month    | 2026-02-03 | true",
            "The deposition is on the 2nd of next month.            | on the 2nd of next month    | 2026-04-02 | false",
            "We need it by the 20th of this month.                  | by the 20th of this month   | 2026-03-20 | false",
            "On the 1st of this month I was charged twice.          | On the 1st of this month    | 2026-03-01 | true",
            "my hearing is on Monday                                | on Monday                   | 2026-03-09 | false",
            "We have 72 hours to notify the regulator.              | 72 hours                    | 2026-03-05 | false",
            "I plan to retire in about two years                    | in about two years          | 2028-03-02 | false",
    })
    void mentions_carry_their_span_date_and_whether_they_are_past(String text, String span, String date, boolean past) {
        List<Dates.Mention> found = Dates.find(text, NOW);

        assertThat(found).isNotEmpty();
        Dates.Mention m = found.get(0);
        assertThat(text.substring(m.start(), m.end())).startsWith(span.strip().split(" ")[0]);
        if (date != null && !date.isBlank()) {
            assertThat(m.date()).hasToString(date.strip());
        }
        assertThat(m.past()).isEqualTo(past);
    }

    @ParameterizedTest(name = "{0} + {1} business days = {2}")
    @CsvSource({
            "2026-03-02, 1, 2026-03-03", "2026-03-02, 5, 2026-03-09", "2026-03-05, 2, 2026-03-09", "2026-03-06, 1, 2026-03-09",
            "2026-03-07, 1, 2026-03-09", "2026-03-08, 1, 2026-03-09", "2026-03-06, 10, 2026-03-20", "2026-03-04, 3, 2026-03-09",
    })
    void business_days_skip_weekends(String from, int days, String expected) {
        java.time.LocalDateTime now = java.time.LocalDate.parse(from).atTime(9, 0);
        String text = "within " + days + " business days";

        assertThat(Dates.when(text, 0, text.length(), now)).isEqualTo(expected);
    }

    @Test
    void any_text_is_read_without_failing() {
        java.util.Random random = new java.util.Random(18);
        String[] words = {"by", "the", "end", "of", "Q2", "March", "12th", "at", "3", ":", "30", "pm", "within", "2", "business", "days",
            "next", "Tuesday", ",", "2026-03-", "tomorrow", "morning", "between", "8", "and", "mid-", "April", "last", "ago", "every",
            "the", "15th", "noon", "a", "couple", "of", "weeks", "\ud83d\ude00", "\u00e9t\u00e9", "\ud800", "9999", "may", "May"};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(words[random.nextInt(words.length)]).append(random.nextBoolean() ? " " : "");
            }
            String text = sb.toString();
            Dates.find(text, NOW);
            Dates.when(text, 0, text.length(), NOW);
        }
        StringBuilder huge = new StringBuilder();
        for (int k = 0; k < 2_000; k++) {
            huge.append("by March 12th at 3pm ");
        }
        assertThat(Dates.find(huge, NOW)).isNotEmpty();
    }

    @Test
    void habits_numbers_and_verbs_are_not_moments() {
        assertThat(Dates.find("It crashed every Friday night", NOW)).isEmpty();
        assertThat(Dates.find("You may want to check the 40 trucks", NOW)).isEmpty();
        assertThat(Dates.find("We have 12 lines and 20% growth", NOW)).isEmpty();
        assertThat(Dates.find("", NOW)).isEmpty();
        assertThat(Dates.find("\ud800 at 99:99 on Febtober 45th", NOW)).isEmpty();
    }
}
