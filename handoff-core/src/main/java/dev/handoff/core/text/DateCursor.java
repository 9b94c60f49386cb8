package dev.handoff.core.text;

import static dev.handoff.core.text.DateWords.DAYS;
import static dev.handoff.core.text.DateWords.MONTHS;
import static dev.handoff.core.text.DateWords.SMALL;
import static dev.handoff.core.text.DateWords.W0;
import static dev.handoff.core.text.DateWords.W6;
import static dev.handoff.core.text.DateWords.W7;
import static dev.handoff.core.text.DateWords.W8;
import static dev.handoff.core.text.DateWords.W9;
import static dev.handoff.core.text.DateWords.W10;
import static dev.handoff.core.text.DateWords.W11;

import dev.handoff.core.text.Dates.Found;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of one text range and the helpers every date and time reader shares: splitting {@code text[from, to)}
 * into words (digits keep the letters stuck to them: {@code 3pm}, {@code 12th}), case-insensitive word tests
 * ({@link #is}, {@link #isAny}), numbers, days of month, month and weekday names, units, and {@link #add} to record a
 * {@link Dates.Found}. The readers layered on it ({@link TimeOfDayScan}, {@link RelativeScan}, {@link CalendarScan})
 * only read words through these helpers and never call each other; they are subclasses rather than separate objects
 * so that a call to {@link Dates} still allocates one scan.
 * <p>
 * Not thread-safe: a cursor is confined to the calling thread for one {@link Dates} call, and its word offsets and
 * results live in per-thread buffers that the next cursor on the same thread reuses.
 */
abstract class DateCursor {

    /** Words read at most per call (longer texts are read up to there). */
    private static final int MAX_WORDS = 512;

    /** Per-thread word offsets and results, so a call allocates only what it finds. */
    private static final class Buffers {
        final int[] starts = new int[MAX_WORDS];
        final int[] ends = new int[MAX_WORDS];
        final List<Found> found = new ArrayList<>(8);
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    final CharSequence text;
    final LocalDateTime now;
    final LocalDate today;
    final int[] ws;
    final int[] we;
    final int n;
    final List<Found> found;

    DateCursor(CharSequence text, int from, int to, LocalDateTime now) {
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
}
