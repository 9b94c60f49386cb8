package dev.handoff.core.text;

import static dev.handoff.core.text.DateWords.W12;
import static dev.handoff.core.text.DateWords.W13;
import static dev.handoff.core.text.DateWords.W14;
import static dev.handoff.core.text.DateWords.W15;
import static dev.handoff.core.text.DateWords.W16;

import dev.handoff.core.text.Dates.Found;
import dev.handoff.core.text.Dates.Precision;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Reads times of day: {@code 3pm}, {@code 3:30 p.m.}, {@code 10:30 am}, {@code noon}, {@code at 3} (1 to 6 read as
 * afternoon unless a morning is near), {@code between 8 and 10} (the start). Skips money, percentages and counts
 * ({@code $20}, {@code 15%}, {@code 2,000}, {@code 5 people}). Not thread-safe; confined to one {@link Dates} call.
 */
abstract class TimeOfDayScan extends DateCursor {

    TimeOfDayScan(CharSequence text, int from, int to, LocalDateTime now) {
        super(text, from, to, now);
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
}
