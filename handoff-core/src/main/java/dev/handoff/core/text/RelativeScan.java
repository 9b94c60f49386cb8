package dev.handoff.core.text;

import static dev.handoff.core.text.DateWords.W1;
import static dev.handoff.core.text.DateWords.W2;
import static dev.handoff.core.text.DateWords.W3;
import static dev.handoff.core.text.DateWords.W4;
import static dev.handoff.core.text.DateWords.W5;
import static dev.handoff.core.text.DateWords.W18;
import static dev.handoff.core.text.DateWords.W19;
import static dev.handoff.core.text.DateWords.W20;
import static dev.handoff.core.text.DateWords.W21;
import static dev.handoff.core.text.DateWords.W22;
import static dev.handoff.core.text.DateWords.W23;
import static dev.handoff.core.text.DateWords.W24;
import static dev.handoff.core.text.DateWords.W25;
import static dev.handoff.core.text.DateWords.W26;

import dev.handoff.core.text.Dates.Found;
import dev.handoff.core.text.Dates.Precision;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Reads moments relative to now: spans ({@code within the hour}, {@code in 5 business days}, {@code 2 weeks ago},
 * {@code for two weeks}), relative days ({@code today}, {@code tomorrow morning}, {@code last night},
 * {@code the day after tomorrow}) and coarse moments (weeks, months, quarters, seasons, years: {@code end of next month},
 * {@code Q2}, {@code mid-April}, {@code tax season}). Not thread-safe; confined to one {@link Dates} call.
 */
abstract class RelativeScan extends TimeOfDayScan {

    RelativeScan(CharSequence text, int from, int to, LocalDateTime now) {
        super(text, from, to, now);
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
