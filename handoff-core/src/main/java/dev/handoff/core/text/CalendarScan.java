package dev.handoff.core.text;

import static dev.handoff.core.text.DateWords.W16;
import static dev.handoff.core.text.DateWords.W17;
import static dev.handoff.core.text.DateWords.W18;

import dev.handoff.core.text.Dates.Found;
import dev.handoff.core.text.Dates.Precision;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;

/**
 * Reads calendar dates and weekdays: {@code March 12th}, {@code 12 March}, {@code the 16th of March}, {@code the 15th},
 * {@code 2026-03-12}, {@code Thursday}, {@code next Tuesday}, {@code last Friday}; a date right after a weekday
 * ({@code Thursday, March 12th}) names the day. Not thread-safe; confined to one {@link Dates} call.
 */
abstract class CalendarScan extends RelativeScan {

    CalendarScan(CharSequence text, int from, int to, LocalDateTime now) {
        super(text, from, to, now);
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
            } else if (is(k + 2, "of") && (is(k + 3, "last") || is(k + 3, "next") || is(k + 3, "this")) && is(k + 4, "month")) {
                // "the 3rd of last month", "the 2nd of next month"
                int shift = is(k + 3, "last") ? -1 : is(k + 3, "next") ? 1 : 0;
                YearMonth ym = YearMonth.from(today).plusMonths(shift);
                Found f = add(w, k + 4);
                f.date = d <= ym.lengthOfMonth() ? ym.atDay(d) : null;
                f.precision = Precision.DAY;
                f.explicit = true;
                f.past = shift < 0 || last || f.date != null && f.date.isBefore(today);
                if (f.date == null) {
                    found.remove(f);
                }
                return k + 5;
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
}
