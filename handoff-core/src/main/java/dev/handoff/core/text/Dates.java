package dev.handoff.core.text;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
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

    private static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december"};
    private static final String[] DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    private static final String[] W0 = {"last", "since", "ago", "been", "earlier", "previous", "past"};
    private static final String[] W1 = {"within", "in"};
    private static final String[] W2 = {"hour", "day", "week"};
    private static final String[] W3 = {"about", "around", "roughly", "approximately", "maybe", "another"};
    private static final String[] W4 = {"to", "or"};
    private static final String[] W5 = {"business", "working"};
    private static final String[] W6 = {"minute", "minutes", "mins", "min"};
    private static final String[] W7 = {"hour", "hours", "hrs", "hr"};
    private static final String[] W8 = {"day", "days"};
    private static final String[] W9 = {"week", "weeks"};
    private static final String[] W10 = {"month", "months"};
    private static final String[] W11 = {"year", "years"};
    private static final String[] W12 = {"noon", "midday"};
    private static final String[] W13 = {"at", "by", "before", "after", "until", "till"};
    private static final String[] W14 = {"percent", "people", "users", "seats", "dollars", "of"};
    private static final String[] W15 = {"and", "to"};
    private static final String[] W16 = {"am", "pm"};
    private static final String[] W17 = {"on", "by", "before", "until", "till", "this", "next", "coming", "for", "from", "to"};
    private static final String[] W18 = {"morning", "afternoon", "evening", "night"};
    private static final String[] W19 = {"by", "before", "until", "on", "for"};
    private static final String[] W20 = {"today", "tonight"};
    private static final String[] W21 = {"morning", "afternoon", "evening"};
    private static final String[] W22 = {"by", "before", "until", "till", "ahead"};
    private static final String[] W23 = {"in", "during", "over", "for", "around", "from", "after"};
    private static final String[] W24 = {"early", "beginning"};
    private static final String[] W25 = {"week", "weekend"};
    private static final String[] W26 = {"i", "we", "you", "be", "have", "not", "need", "want"};
    private static final String[] SMALL_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
    private static final String[] SMALL = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};

    /** Words an expression can start with (besides numbers); the scan skips every other word. */
    private static final Lexicon STARTERS;

    static {
        java.util.Map<String, int[]> m = new java.util.HashMap<>();
        String starters = "every each within in the a an couple few several about around roughly approximately maybe another next coming "
                + "noon midday between from at by before after until till on this last since for to today tonight tomorrow yesterday end "
                + "mid middle early beginning start late past previous during over ahead quarter week weekend month year q1 q2 q3 q4 "
                + "spring summer fall autumn winter tax sat sun wed mon tue tues thu thur thurs fri jan feb mar apr jun jul aug sep sept "
                + "oct nov dec thirty forty fortyeight";
        for (String w : starters.split(" ")) {
            m.put(w, new int[] {1, 0});
        }
        for (String w : MONTHS) {
            m.put(w, new int[] {1, 0});
        }
        for (String w : DAYS) {
            m.put(w, new int[] {1, 0});
        }
        for (String w : SMALL_WORDS) {
            m.put(w, new int[] {1, 0});
        }
        STARTERS = new Lexicon(m);
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

    /** Words read at most per call (longer texts are read up to there). */
    private static final int MAX_WORDS = 512;

    /** Per-thread word offsets and results, so a call allocates only what it finds. */
    private static final class Buffers {
        final int[] starts = new int[MAX_WORDS];
        final int[] ends = new int[MAX_WORDS];
        final List<Found> found = new ArrayList<>(8);
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** A mention being built. */
    private static final class Found {
        int start;
        int end;
        LocalDate date;
        LocalTime time;
        Precision precision;
        boolean past;
        boolean explicit;
        boolean weekday;
    }

    /** One pass over the words of a text range. */
    private static final class Scan {
        final CharSequence text;
        final LocalDateTime now;
        final LocalDate today;
        final int[] ws;
        final int[] we;
        final int n;
        final List<Found> found;

        Scan(CharSequence text, int from, int to, LocalDateTime now) {
            this.text = text;
            this.now = now;
            this.today = now.toLocalDate();
            Buffers b = BUFFERS.get();
            b.found.clear();
            this.found = b.found;
            this.ws = b.starts;
            this.we = b.ends;
            int k = 0;
            int i = Math.max(0, from);
            int limit = Math.min(to, text.length());
            while (i < limit && k < ws.length) {
                while (i < limit && !letterOrDigit(text.charAt(i))) {
                    i++;
                }
                if (i >= limit) {
                    break;
                }
                int a = i;
                if (digit(text.charAt(i))) {
                    // "3pm", "12th", "45pm": digits, then the letters stuck to them
                    while (i < limit && digit(text.charAt(i))) {
                        i++;
                    }
                    while (i < limit && letterOrDigit(text.charAt(i)) && !digit(text.charAt(i))) {
                        i++;
                    }
                } else {
                    while (i < limit && letterOrDigit(text.charAt(i))) {
                        i++;
                    }
                }
                ws[k] = a;
                we[k] = i;
                k++;
            }
            this.n = k;
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9' || c >= 128 && Character.isDigit(c);
        }

        private static boolean letterOrDigit(char c) {
            return c < 128 ? c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' : Character.isLetterOrDigit(c);
        }

        // ------------------------------------------------------------------ word helpers

        boolean is(int w, String word) {
            if (w < 0 || w >= n || we[w] - ws[w] != word.length()) {
                return false;
            }
            for (int j = 0; j < word.length(); j++) {
                if (Character.toLowerCase(text.charAt(ws[w] + j)) != word.charAt(j)) {
                    return false;
                }
            }
            return true;
        }

        boolean isAny(int w, String[] words) {
            for (String x : words) {
                if (is(w, x)) {
                    return true;
                }
            }
            return false;
        }

        boolean startsWith(int w, String prefix, int minLength) {
            if (w < 0 || w >= n || we[w] - ws[w] < minLength || we[w] - ws[w] > prefix.length()) {
                return false;
            }
            for (int j = 0; j < we[w] - ws[w]; j++) {
                if (Character.toLowerCase(text.charAt(ws[w] + j)) != prefix.charAt(j)) {
                    return false;
                }
            }
            return true;
        }

        /** The characters between word w and word w + 1 hold {@code c} (and only spaces besides). */
        boolean joinedBy(int w, char c) {
            if (w < 0 || w + 1 >= n) {
                return false;
            }
            boolean seen = false;
            for (int j = we[w]; j < ws[w + 1]; j++) {
                char ch = text.charAt(j);
                if (ch == c && !seen) {
                    seen = true;
                } else if (ch != ' ') {
                    return false;
                }
            }
            return seen;
        }

        boolean sentenceBreakAfter(int w) {
            if (w < 0 || w >= n) {
                return true;
            }
            for (int j = we[w]; w + 1 < n && j < ws[w + 1]; j++) {
                char ch = text.charAt(j);
                if (ch == '.' || ch == '!' || ch == '?' || ch == ';') {
                    return true;
                }
            }
            return false;
        }

        /** The number a word spells or writes ({@code 3}, {@code three}, {@code a}), or -1. */
        int number(int w) {
            if (w < 0 || w >= n) {
                return -1;
            }
            int len = we[w] - ws[w];
            if (Character.isDigit(text.charAt(ws[w]))) {
                int v = 0;
                for (int j = ws[w]; j < we[w]; j++) {
                    char ch = text.charAt(j);
                    if (!Character.isDigit(ch) || len > 5) {
                        return -1;
                    }
                    v = v * 10 + (ch - '0');
                }
                return v;
            }
            if (is(w, "a") || is(w, "an")) {
                return 1;
            }
            for (int k = 0; k < SMALL.length; k++) {
                if (is(w, SMALL[k])) {
                    return k;
                }
            }
            if (is(w, "thirty")) {
                return 30;
            }
            if (is(w, "fortyeight") || is(w, "forty")) {
                return 40;
            }
            return -1;
        }

        /** 1-31 from {@code 12th}, {@code 1st}, {@code 12}, or -1. */
        int dayOfMonth(int w, boolean needOrdinal) {
            if (w < 0 || w >= n || !Character.isDigit(text.charAt(ws[w]))) {
                return -1;
            }
            int v = 0;
            int j = ws[w];
            while (j < we[w] && Character.isDigit(text.charAt(j))) {
                v = v * 10 + (text.charAt(j) - '0');
                j++;
                if (j - ws[w] > 2) {
                    return -1;
                }
            }
            int suffix = we[w] - j;
            if (suffix == 0) {
                return needOrdinal ? -1 : v >= 1 && v <= 31 ? v : -1;
            }
            if (suffix == 2) {
                String s = ("" + Character.toLowerCase(text.charAt(j)) + Character.toLowerCase(text.charAt(j + 1)));
                if (s.equals("st") || s.equals("nd") || s.equals("rd") || s.equals("th")) {
                    return v >= 1 && v <= 31 ? v : -1;
                }
            }
            return -1;
        }

        int month(int w) {
            if (w < 0 || w >= n) {
                return -1;
            }
            for (int m = 0; m < 12; m++) {
                if (is(w, MONTHS[m]) || MONTHS[m].length() > 3 && startsWith(w, MONTHS[m], 3) && we[w] - ws[w] <= 4
                        && (we[w] - ws[w] == 3 || is(w, "sept"))) {
                    // "March", "Mar", "Sept"; "may" only as the full word
                    return m + 1;
                }
            }
            return -1;
        }

        int weekday(int w) {
            if (w < 0 || w >= n) {
                return -1;
            }
            for (int d = 0; d < 7; d++) {
                if (is(w, DAYS[d]) || (we[w] - ws[w] == 3 && startsWith(w, DAYS[d], 3) && !is(w, "sat") && !is(w, "sun") && !is(w, "wed"))) {
                    return d + 1;
                }
            }
            return -1;
        }

        boolean pastMarker(int w) {
            return isAny(w, W0);
        }

        Found add(int fromWord, int toWord) {
            Found f = new Found();
            f.start = ws[fromWord];
            f.end = we[toWord];
            found.add(f);
            return f;
        }

        // ------------------------------------------------------------------ the scan

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

        /** True when an expression can start at word w: a number, or one of {@link #STARTERS} (most words are not). */
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

        /** {@code within the hour}, {@code within 2 hours}, {@code in about three months}, {@code 72 hours}, {@code 2 weeks ago}. */
        int span(int w) {
            int k = w;
            boolean lead = isAny(k, W1);
            if (lead) {
                k++;
            }
            if (is(k, "the") && (is(k + 1, "next") || is(k + 1, "coming"))) {
                k += 2;
            } else if (is(k, "the") && isAny(k + 1, W2)) {
                int u = unit(k + 1);
                Found f = add(w, k + 1);
                resolveSpan(f, 1, u);
                return k + 2;
            } else if (is(k, "next") && lead) {
                k++;
            }
            if (isAny(k, W3)) {
                k++;
            }
            int count;
            int unitWord;
            if ((is(k, "a") || is(k, "the")) && is(k + 1, "couple") && is(k + 2, "of")) {
                count = 2;
                unitWord = k + 3;
            } else if (is(k, "couple") && is(k + 1, "of")) {
                count = 2;
                unitWord = k + 2;
            } else if ((is(k, "a") && is(k + 1, "few")) || is(k, "few") || is(k, "several")) {
                count = 3;
                unitWord = is(k, "a") ? k + 2 : k + 1;
            } else {
                count = number(k);
                unitWord = k + 1;
                if (count >= 0 && isAny(unitWord, W4) && number(unitWord + 1) >= count) {
                    count = number(unitWord + 1); // "3 to 5 business days": the latest
                    unitWord += 2;
                }
            }
            if (count < 0) {
                return w;
            }
            boolean business = isAny(unitWord, W5);
            int u = unit(business ? unitWord + 1 : unitWord);
            if (u < 0 || (!lead && count > 400)) {
                return w;
            }
            int last = business ? unitWord + 1 : unitWord;
            boolean ago = is(last + 1, "ago");
            boolean duration = !lead && (is(w - 1, "for") || is(w - 1, "been") || is(w - 1, "spent") || is(w - 1, "over")
                    || is(w - 1, "past") || is(w - 1, "last") || is(w - 1, "every"));
            if (!lead && !ago && !duration && !is(w - 1, "have") && !is(w - 1, "has") && !is(w - 1, "got") && !is(w - 1, "only")
                    && !is(w - 1, "just") && !is(last + 1, "from") && !is(last + 1, "left") && !is(w - 1, "next")) {
                return w; // "40 hours a week", "5 days of pain": a number of units, not a moment
            }
            Found f = add(w, ago ? last + 1 : last);
            if (ago || duration) {
                f.past = true;
                f.precision = Precision.DAY;
                return ago ? last + 2 : last + 1;
            }
            if (business) {
                f.date = addBusinessDays(today, count);
                f.precision = Precision.DAY;
            } else {
                resolveSpan(f, count, u);
            }
            return last + 1;
        }

        /** 0 minutes, 1 hours, 2 days, 3 weeks, 4 months, 5 years; -1 when not a unit. */
        int unit(int w) {
            if (isAny(w, W6)) {
                return 0;
            }
            if (isAny(w, W7)) {
                return 1;
            }
            if (isAny(w, W8)) {
                return 2;
            }
            if (isAny(w, W9)) {
                return 3;
            }
            if (isAny(w, W10)) {
                return 4;
            }
            if (isAny(w, W11)) {
                return 5;
            }
            return -1;
        }

        void resolveSpan(Found f, int count, int unit) {
            LocalDateTime at = switch (unit) {
                case 0 -> now.plusMinutes(count);
                case 1 -> now.plusHours(count);
                case 2 -> now.plusDays(count);
                case 3 -> now.plusWeeks(count);
                case 4 -> now.plusMonths(count);
                default -> now.plusYears(count);
            };
            f.date = at.toLocalDate();
            if (unit <= 1) {
                f.time = at.toLocalTime().truncatedTo(ChronoUnit.MINUTES);
                f.precision = Precision.MINUTE;
            } else {
                f.precision = unit == 2 ? Precision.DAY : unit == 3 ? Precision.WEEK : unit == 4 ? Precision.MONTH : Precision.YEAR;
            }
        }

        /** {@code 3pm}, {@code 3:30 p.m.}, {@code 10:30 am}, {@code noon}, {@code at 3}, {@code between 8 and 10}. */
        int clock(int w) {
            if (isAny(w, W12)) {
                Found f = add(w, w);
                f.time = LocalTime.NOON;
                f.precision = Precision.MINUTE;
                return w + 1;
            }
            int k = w;
            boolean between = is(k, "between") || is(k, "from");
            if (between || isAny(k, W13)) {
                k++;
            }
            if (k >= n || !Character.isDigit(text.charAt(ws[k]))) {
                return w;
            }
            if (ws[k] > 0 && (text.charAt(ws[k] - 1) == '$' || text.charAt(ws[k] - 1) == '\u00a3' || text.charAt(ws[k] - 1) == '\u20ac')
                    || we[k] < text.length() && (text.charAt(we[k]) == '%' || text.charAt(we[k]) == ',' && digits(k) <= 3
                    && we[k] + 1 < text.length() && Character.isDigit(text.charAt(we[k] + 1)))) {
                return w; // "$20", "15%", "2,000"
            }
            int h = leadingNumber(k);
            int minute = 0;
            int last = k;
            String suffix = suffix(k);
            if (suffix.isEmpty() && joinedBy(k, ':') && k + 1 < n && Character.isDigit(text.charAt(ws[k + 1]))) {
                minute = leadingNumber(k + 1);
                suffix = suffix(k + 1);
                last = k + 1;
                if (minute < 0 || minute > 59 || digits(k + 1) != 2) {
                    return w;
                }
            } else if (!suffix.isEmpty() && digits(k) > 2) {
                return w;
            }
            int ampm = 0; // 1 am, 2 pm
            if (suffix.equals("am") || suffix.equals("a")) {
                ampm = 1;
            } else if (suffix.equals("pm") || suffix.equals("p")) {
                ampm = 2;
            } else if (!suffix.isEmpty()) {
                return w; // "12th", "4g"
            }
            if (ampm == 0 && (is(last + 1, "am") || is(last + 1, "pm"))) {
                ampm = is(last + 1, "am") ? 1 : 2;
                last++;
            } else if (ampm == 0 && (is(last + 1, "a") || is(last + 1, "p")) && is(last + 2, "m") && joinedBy(last + 1, '.')) {
                ampm = is(last + 1, "a") ? 1 : 2;
                last += 2;
            } else if ((ampm == 1 || ampm == 2) && suffix.length() == 1 && is(last + 1, "m")) {
                last++; // "3 p.m." read as "3p" "m"
            }
            boolean colon = last > k && minute > 0 || joinedBy(k, ':');
            if (ampm == 0 && !colon && k == w) {
                return w; // a bare number is not a time
            }
            if (ampm == 0 && !colon && (unit(k + 1) >= 0 || isAny(k + 1, W14))) {
                return w;
            }
            if (h < 0 || h > 23 || (ampm != 0 && (h < 1 || h > 12))) {
                return w;
            }
            int hour;
            if (ampm == 1) {
                hour = h % 12;
            } else if (ampm == 2) {
                hour = h % 12 + 12;
            } else if (h > 12) {
                hour = h;
            } else {
                boolean morning = nearMorning(w);
                hour = morning ? h % 12 : h >= 1 && h <= 6 || h == 12 ? h % 12 + 12 : h; // business hours: "at 3" is 3pm
            }
            Found f = add(w, last);
            f.time = LocalTime.of(hour, minute);
            f.precision = Precision.MINUTE;
            int after = last + 1;
            if (between && isAny(after, W15) && after + 1 < n && Character.isDigit(text.charAt(ws[after + 1]))) {
                int end = after + 1;
                if (isAny(end + 1, W16)) {
                    end++;
                }
                f.end = we[end];
                return end + 1;
            }
            return after;
        }

        boolean nearMorning(int w) {
            for (int j = Math.max(0, w - 3); j < Math.min(n, w + 4); j++) {
                if (is(j, "morning")) {
                    return true;
                }
            }
            return false;
        }

        int leadingNumber(int w) {
            if (w < 0 || w >= n) {
                return -1;
            }
            int v = 0;
            int j = ws[w];
            while (j < we[w] && Character.isDigit(text.charAt(j))) {
                v = v * 10 + (text.charAt(j) - '0');
                if (v > 100_000) {
                    return -1;
                }
                j++;
            }
            return v;
        }

        int digits(int w) {
            if (w < 0 || w >= n) {
                return 0;
            }
            int j = ws[w];
            while (j < we[w] && Character.isDigit(text.charAt(j))) {
                j++;
            }
            return j - ws[w];
        }

        String suffix(int w) {
            if (w < 0 || w >= n) {
                return "";
            }
            int j = ws[w];
            while (j < we[w] && Character.isDigit(text.charAt(j))) {
                j++;
            }
            if (j == we[w]) {
                return "";
            }
            StringBuilder sb = new StringBuilder(we[w] - j);
            for (; j < we[w]; j++) {
                sb.append(Character.toLowerCase(text.charAt(j)));
            }
            return sb.toString();
        }

        /** {@code March 12th}, {@code 12 March}, {@code the 16th of March}, {@code the 15th}, {@code 2026-03-12}, weekdays. */
        int calendar(int w) {
            int k = w;
            boolean future = isAny(k, W17);
            boolean last = is(k, "last") || is(k, "since");
            boolean next = is(k, "next");
            if (future || last) {
                k++;
            }
            if (is(w, "since") && is(k, "last")) {
                k++;
            }
            if (is(k, "the") && dayOfMonth(k + 1, true) > 0) {
                int d = dayOfMonth(k + 1, true);
                int m = -1;
                int end = k + 1;
                if (is(k + 2, "of") && month(k + 3) > 0) {
                    m = month(k + 3);
                    end = k + 3;
                }
                Found f = add(w, end);
                f.date = m > 0 ? dateOf(m, d, last) : nextDayOfMonth(d, last);
                f.precision = Precision.DAY;
                f.explicit = true;
                f.past = last;
                return end + 1;
            }
            int m = month(k);
            if (m > 0 && dayOfMonth(k + 1, false) > 0 && !isAny(k + 2, W16) && suffix(k + 1).length() != 1) {
                int d = dayOfMonth(k + 1, false);
                int end = k + 1;
                int year = -1;
                if (k + 2 < n && digits(k + 2) == 4 && we[k + 2] - ws[k + 2] == 4) {
                    year = leadingNumber(k + 2);
                    end = k + 2;
                }
                Found f = add(w, end);
                f.date = year > 0 ? safeDate(year, m, d) : dateOf(m, d, last);
                f.precision = Precision.DAY;
                f.explicit = f.date != null;
                f.past = last;
                if (f.date == null) {
                    found.remove(f);
                    return end + 1;
                }
                return end + 1;
            }
            int d = dayOfMonth(k, true);
            if (d > 0 && (month(k + 1) > 0 || is(k + 1, "of") && month(k + 2) > 0)) {
                int mi = month(k + 1) > 0 ? k + 1 : k + 2;
                Found f = add(w, mi);
                f.date = dateOf(month(mi), d, last);
                f.precision = Precision.DAY;
                f.explicit = f.date != null;
                f.past = last;
                if (f.date == null) {
                    found.remove(f);
                }
                return mi + 1;
            }
            if (d < 0 && digits(k) == 4 && we[k] - ws[k] == 4 && joinedBy(k, '-') && k + 2 < n && joinedBy(k + 1, '-')
                    && digits(k + 1) == 2 && digits(k + 2) == 2) {
                Found f = add(w, k + 2);
                f.date = safeDate(leadingNumber(k), leadingNumber(k + 1), leadingNumber(k + 2));
                f.precision = Precision.DAY;
                f.explicit = f.date != null;
                if (f.date == null) {
                    found.remove(f);
                }
                return k + 3;
            }
            int wd = weekday(k);
            if (wd > 0) {
                int end = k;
                if (isAny(k + 1, W18)) {
                    end = k + 1;
                }
                Found f = add(w, end);
                DayOfWeek day = DayOfWeek.of(wd);
                if (last || is(w - 1, "last")) {
                    f.date = today.with(TemporalAdjusters.previous(day));
                    f.past = true;
                } else if (next) {
                    LocalDate monday = today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
                    f.date = monday.with(TemporalAdjusters.nextOrSame(day));
                } else {
                    f.date = today.with(TemporalAdjusters.next(day));
                }
                f.precision = Precision.DAY;
                f.weekday = true;
                // "Thursday, March 12th": the date that follows names the day
                int after = end + 1;
                if (after < n && (month(after) > 0 || is(after, "the") || dayOfMonth(after, true) > 0) && !sentenceBreakAfter(end)) {
                    int r = calendar(after);
                    if (r > after) {
                        Found explicit = found.get(found.size() - 1);
                        if (explicit.explicit) {
                            found.remove(f);
                            explicit.start = f.start;
                            return r;
                        }
                    }
                }
                return end + 1;
            }
            return w;
        }

        LocalDate dateOf(int month, int day, boolean past) {
            LocalDate d = safeDate(today.getYear(), month, day);
            if (d == null) {
                return null;
            }
            if (!past && d.isBefore(today.minusDays(60))) {
                d = safeDate(today.getYear() + 1, month, day);
            }
            return d;
        }

        LocalDate nextDayOfMonth(int day, boolean past) {
            LocalDate d = safeDate(today.getYear(), today.getMonthValue(), Math.min(day, today.lengthOfMonth()));
            if (d == null) {
                return null;
            }
            if (past) {
                return d.isAfter(today) ? d.minusMonths(1) : d;
            }
            return d.isBefore(today) ? d.plusMonths(1).withDayOfMonth(Math.min(day, d.plusMonths(1).lengthOfMonth())) : d;
        }

        static LocalDate safeDate(int year, int month, int day) {
            if (month < 1 || month > 12 || day < 1 || day > Month.of(month).maxLength() || year < 1900 || year > 2999) {
                return null;
            }
            return LocalDate.of(year, month, Math.min(day, Month.of(month).length(java.time.Year.isLeap(year))));
        }

        static LocalDate addBusinessDays(LocalDate from, int days) {
            if (days <= 0) {
                return from;
            }
            // from a weekend day, count from the Friday before; then whole weeks, then the days left
            int dow = from.getDayOfWeek().getValue(); // 1 Monday .. 7 Sunday
            long start = from.toEpochDay() - Math.max(0, dow - 5);
            int startDow = Math.min(dow, 5);
            long weeks = days / 5;
            int rest = days % 5;
            long end = start + weeks * 7 + rest + (startDow + rest > 5 ? 2 : 0);
            return LocalDate.ofEpochDay(end);
        }

        /** today, tonight, tomorrow (morning), this afternoon, yesterday, last night, the day after tomorrow. */
        int relativeDay(int w) {
            int k = w;
            if (isAny(k, W19)) {
                k++;
            }
            if (is(k, "end") && is(k + 1, "of") && is(k + 2, "today")) {
                Found f = add(w, k + 2);
                f.date = today;
                f.precision = Precision.DAY;
                return k + 3;
            }
            if (is(k, "the") && is(k + 1, "day") && is(k + 2, "after") && is(k + 3, "tomorrow")) {
                Found f = add(w, k + 3);
                f.date = today.plusDays(2);
                f.precision = Precision.DAY;
                return k + 4;
            }
            LocalDate d = null;
            boolean past = false;
            int end = k;
            if (isAny(k, W20)) {
                d = today;
            } else if (is(k, "tomorrow")) {
                d = today.plusDays(1);
                if (isAny(k + 1, W18)) {
                    end = k + 1;
                }
            } else if (is(k, "yesterday")) {
                d = today.minusDays(1);
                past = true;
            } else if (is(k, "last") && is(k + 1, "night")) {
                d = today.minusDays(1);
                past = true;
                end = k + 1;
            } else if (is(k, "this") && isAny(k + 1, W21)) {
                d = today;
                end = k + 1;
            }
            if (d == null) {
                return w;
            }
            Found f = add(w, end);
            f.date = d;
            f.precision = Precision.DAY;
            f.past = past;
            return end + 1;
        }

        /** Weeks, months, quarters, seasons and years. */
        int coarse(int w) {
            int k = w;
            boolean by = isAny(k, W22);
            if (by) {
                k++;
                if (is(k, "of")) {
                    k++;
                }
            } else if (isAny(k, W23)) {
                k++;
            }
            if (is(k, "the")) {
                k++;
            }
            boolean end = false;
            boolean mid = false;
            boolean early = false;
            if (is(k, "end") && is(k + 1, "of")) {
                end = true;
                k += 2;
                if (is(k, "the")) {
                    k++;
                }
            } else if (is(k, "mid") || is(k, "middle") && is(k + 1, "of")) {
                mid = true;
                k += is(k, "middle") ? 2 : 1;
            } else if (isAny(k, W24) || is(k, "start") && is(k + 1, "of")) {
                early = true;
                k += is(k + 1, "of") ? 2 : 1;
            } else if (is(k, "late")) {
                end = true;
                k++;
            }
            boolean thisOne = is(k, "this");
            boolean nextOne = is(k, "next") || is(k, "coming");
            boolean lastOne = is(k, "last") || is(k, "past") || is(k, "previous");
            if (thisOne || nextOne || lastOne) {
                k++;
            }
            // quarters: "Q2", "Q2 2026", "the quarter", "next quarter"
            if (k < n && we[k] - ws[k] == 2 && Character.toLowerCase(text.charAt(ws[k])) == 'q' && text.charAt(ws[k] + 1) >= '1'
                    && text.charAt(ws[k] + 1) <= '4') {
                int q = text.charAt(ws[k] + 1) - '0';
                int last = k;
                int year = today.getYear();
                if (k + 1 < n && digits(k + 1) == 4 && we[k + 1] - ws[k + 1] == 4) {
                    year = leadingNumber(k + 1);
                    last = k + 1;
                }
                LocalDate first = LocalDate.of(year, q * 3 - 2, 1);
                if (last == k && first.plusMonths(3).isBefore(today) && !lastOne) {
                    first = first.plusYears(1);
                }
                return coarseFound(w, last, end || by ? first.plusMonths(3).minusDays(1) : first, Precision.QUARTER, lastOne);
            }
            if (is(k, "quarter")) {
                LocalDate first = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1);
                if (nextOne) {
                    first = first.plusMonths(3);
                } else if (lastOne) {
                    first = first.minusMonths(3);
                }
                if (!thisOne && !nextOne && !lastOne && !end && !by) {
                    return w;
                }
                return coarseFound(w, k, end || by ? first.plusMonths(3).minusDays(1) : first, Precision.QUARTER, lastOne);
            }
            if (isAny(k, W25)) {
                if (!thisOne && !nextOne && !lastOne && !end) {
                    return w;
                }
                LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                if (nextOne) {
                    monday = monday.plusWeeks(1);
                } else if (lastOne) {
                    monday = monday.minusWeeks(1);
                }
                LocalDate d = is(k, "weekend") ? monday.plusDays(5) : end ? monday.plusDays(4) : nextOne ? monday : today;
                return coarseFound(w, k, d, Precision.WEEK, lastOne);
            }
            if (is(k, "month")) {
                if (!thisOne && !nextOne && !lastOne && !end) {
                    return w;
                }
                LocalDate first = today.withDayOfMonth(1);
                if (nextOne) {
                    first = first.plusMonths(1);
                } else if (lastOne) {
                    first = first.minusMonths(1);
                }
                return coarseFound(w, k, end || by ? first.plusMonths(1).minusDays(1) : first, Precision.MONTH, lastOne);
            }
            if (is(k, "year")) {
                if (!thisOne && !nextOne && !lastOne && !end) {
                    return w;
                }
                LocalDate first = today.withDayOfYear(1).plusYears(nextOne ? 1 : lastOne ? -1 : 0);
                return coarseFound(w, k, end || by ? first.plusYears(1).minusDays(1) : first, Precision.YEAR, lastOne);
            }
            int m = month(k);
            if (m == 5 && (text.charAt(ws[k]) != 'M' || isAny(k + 1, W26))) {
                m = -1; // "may" is a verb more often than a month
            }
            if (m > 0) {
                LocalDate first = LocalDate.of(today.getYear(), m, 1);
                if (first.plusMonths(1).isBefore(today.minusDays(60)) && !lastOne) {
                    first = first.plusYears(1);
                }
                int last = k;
                if (k + 1 < n && digits(k + 1) == 4 && we[k + 1] - ws[k + 1] == 4) {
                    first = LocalDate.of(leadingNumber(k + 1), m, 1);
                    last = k + 1;
                }
                LocalDate d = mid ? first.withDayOfMonth(15) : end || by ? first.plusMonths(1).minusDays(1) : first;
                return coarseFound(w, last, d, Precision.MONTH, lastOne);
            }
            int season = season(k);
            if (season >= 0) {
                int last = k;
                if (is(k, "tax")) {
                    last = k + 1;
                } else if (is(k + 1, "semester") || is(k + 1, "term") || is(k + 1, "season")) {
                    last = k + 1;
                }
                LocalDate first = LocalDate.of(today.getYear(), season, 1);
                if (first.plusMonths(3).isBefore(today) && !lastOne) {
                    first = first.plusYears(1);
                }
                return coarseFound(w, last, first, Precision.SEASON, lastOne);
            }
            return w;
        }

        /** The first month of a season word at w, or -1 ({@code tax season} is spring). */
        int season(int w) {
            if (is(w, "spring") || is(w, "tax") && is(w + 1, "season")) {
                return 3;
            }
            if (is(w, "summer")) {
                return 6;
            }
            if (is(w, "fall") && (is(w - 1, "the") || is(w - 1, "this") || is(w - 1, "in") || is(w - 1, "next") || is(w + 1, "semester"))
                    || is(w, "autumn")) {
                return 9;
            }
            if (is(w, "winter")) {
                return 12;
            }
            return -1;
        }

        int coarseFound(int fromWord, int toWord, LocalDate date, Precision precision, boolean past) {
            Found f = add(fromWord, toWord);
            f.date = date;
            f.precision = precision;
            f.past = past;
            return toWord + 1;
        }
    }
}
