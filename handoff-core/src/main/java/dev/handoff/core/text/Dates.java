package dev.handoff.core.text;

import static dev.handoff.core.text.DateWords.STARTERS;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one reader of dates and times in customer and bot text, shared by the commitment detector (when a callback,
 * delivery or appointment is due) and the observer (the customer's timeline). It reads, relative to a moment
 * {@code now} in the business's zone:
 * <ul>
 *   <li>days: {@code today}, {@code tonight}, {@code tomorrow}, {@code yesterday}, weekdays ({@code Thursday},
 *       {@code next Tuesday} = the Tuesday of next week, {@code last Friday}), dates ({@code March 12th},
 *       {@code 12 March}, {@code the 16th of March}, {@code the 15th}, {@code 2026-03-12}); an explicit date wins over
 *       the weekday beside it ({@code Thursday, March 12th});</li>
 *   <li>times: {@code 3pm}, {@code 3:30 p.m.}, {@code 10:30 am}, {@code noon}, {@code at 3} (1 to 6 read as afternoon),
 *       {@code between 8 and 10} (the start);</li>
 *   <li>spans from now: {@code within the hour}, {@code within 2 hours}, {@code in 5 business days},
 *       {@code in about three months}, {@code a couple of weeks}, {@code 72 hours};</li>
 *   <li>coarser moments: {@code this week}, {@code next week}, {@code end of (next) month}, {@code end of Q2},
 *       {@code this quarter}, {@code in May}, {@code mid-April}, {@code by August}, seasons ({@code spring},
 *       {@code the fall}, {@code tax season}), {@code next year};</li>
 *   <li>the past: {@code ago}, {@code last ...}, {@code since ...}, {@code for two weeks}, {@code been ...},
 *       {@code yesterday}, a date before today ({@link Mention#past()}); habits ({@code every Friday}) are skipped.</li>
 * </ul>
 * Words are matched case-insensitively on ASCII letters; any text is accepted and nothing throws. Immutable and
 * thread-safe.
 */
public final class Dates {

    /** How precisely a mention names a moment. */
    public enum Precision { MINUTE, DAY, WEEK, MONTH, QUARTER, SEASON, YEAR }

    /**
     * One time expression.
     *
     * @param start     offset of its first character in the text
     * @param end       offset after its last character
     * @param text      the original characters
     * @param date      nullable: the day it names (for a span, the day it ends; for a week, month or quarter, its last day
     *                  when the text says "end of" or "by", else its first)
     * @param time      nullable: the time of day
     * @param precision how precise it is
     * @param past      true when it is not a moment ahead: the past ({@code last week}, {@code 2 weeks ago}) or a
     *                  duration ({@code for two years}, {@code been 8 days})
     * @param explicit  true for a calendar date ({@code March 12th}, {@code the 15th}, {@code 2026-03-12})
     */
    public record Mention(int start, int end, String text, LocalDate date, LocalTime time, Precision precision, boolean past,
                          boolean explicit) {
        public Mention {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(precision, "precision");
        }
    }


    private Dates() {
    }

    /** Every time expression of {@code text}, in order. */
    public static List<Mention> find(CharSequence text, ZonedDateTime now) {
        return find(text, Objects.requireNonNull(now, "now").toLocalDateTime());
    }

    /** As {@link #find(CharSequence, ZonedDateTime)}, with the business's local date and time. */
    public static List<Mention> find(CharSequence text, LocalDateTime now) {
        Objects.requireNonNull(now, "now");
        if (text == null || text.length() == 0) {
            return List.of();
        }
        Scan s = new Scan(text, 0, text.length(), now);
        s.run();
        List<Mention> out = new ArrayList<>(s.found.size());
        for (Found f : s.found) {
            out.add(new Mention(f.start, f.end, text.subSequence(f.start, f.end).toString(), f.date, f.time, f.precision, f.past, f.explicit));
        }
        return out;
    }

    /**
     * The moment {@code text[from, to)} promises, as an ISO local date-time ({@code 2026-03-04T15:00}) when a time of
     * day is known, an ISO date ({@code 2026-03-04}) when only the day (or the week: its Monday) is, else null. A
     * calendar date beats a weekday, a weekday beats a relative day; a span from now ({@code within 2 hours}) is
     * resolved from {@code now}; a time alone is today when still ahead, else tomorrow. Past mentions are ignored.
     */
    public static String when(CharSequence text, int from, int to, ZonedDateTime now) {
        return when(text, from, to, Objects.requireNonNull(now, "now").toLocalDateTime());
    }

    /** As {@link #when(CharSequence, int, int, ZonedDateTime)}, with the business's local date and time. */
    public static String when(CharSequence text, int from, int to, LocalDateTime now) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(now, "now");
        Scan s = new Scan(text, from, to, now);
        s.run();
        Found day = null;
        Found time = null;
        for (Found f : s.found) {
            if (f.past) {
                continue;
            }
            if (f.date != null && (f.precision == Precision.DAY || f.precision == Precision.MINUTE || f.precision == Precision.WEEK)
                    && (day == null || rank(f) > rank(day))) {
                day = f;
            }
            if (f.time != null && f.date == null && time == null) {
                time = f;
            }
        }
        if (day == null && time == null) {
            return null;
        }
        LocalTime t = day != null && day.time != null ? day.time : time != null ? time.time : null;
        if (day == null) {
            LocalDate d = now.toLocalTime().isBefore(t) ? now.toLocalDate() : now.toLocalDate().plusDays(1);
            return LocalDateTime.of(d, t).toString();
        }
        return t == null ? day.date.toString() : LocalDateTime.of(day.date, t).toString();
    }

    private static int rank(Found f) {
        if (f.explicit) {
            return 4;
        }
        if (f.precision == Precision.MINUTE) {
            return 3;
        }
        if (f.weekday) {
            return 2;
        }
        return f.precision == Precision.DAY ? 1 : 0;
    }

    /** A mention being built. */
    static final class Found {
        int start;
        int end;
        LocalDate date;
        LocalTime time;
        Precision precision;
        boolean past;
        boolean explicit;
        boolean weekday;
    }

    /** One pass over the words of a text range: tries each reader at every word that may start an expression. */
    private static final class Scan extends CalendarScan {
        Scan(CharSequence text, int from, int to, LocalDateTime now) {
            super(text, from, to, now);
        }

        void run() {
            int w = 0;
            while (w < n) {
                int next = mayStart(w) ? at(w) : w;
                w = next > w ? next : w + 1;
            }
            // a day before today is in the past (a week, month or season may still be under way)
            for (Found f : found) {
                if (f.date != null && f.date.isBefore(today) && (f.precision == Precision.DAY || f.precision == Precision.MINUTE)) {
                    f.past = true;
                }
            }
        }

        /** True when an expression can start at word w: a number, or one of {@link DateWords#STARTERS} (most words are not). */
        boolean mayStart(int w) {
            if (Character.isDigit(text.charAt(ws[w]))) {
                return true;
            }
            long h = Lexicon.FNV_OFFSET;
            for (int j = ws[w]; j < we[w]; j++) {
                char c = text.charAt(j);
                h ^= c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
                h *= Lexicon.FNV_PRIME;
            }
            return STARTERS.find(h == 0 ? 1 : h) >= 0;
        }

        /** Reads an expression starting at word w; returns the word after it, or w when none starts here. */
        int at(int w) {
            if (is(w, "every") || is(w, "each")) {
                return w + 2; // habits: "every Friday night"
            }
            int r;
            if ((r = span(w)) > w || (r = clock(w)) > w || (r = calendar(w)) > w || (r = relativeDay(w)) > w
                    || (r = coarse(w)) > w) {
                return r;
            }
            return w;
        }
    }
}
