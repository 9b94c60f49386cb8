package dev.handoff.core.context;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds sensitive values in one string for {@link Redactor}. Matching runs on a <em>view</em> of the text: each
 * code point NFKC-normalised (full-width digits and {@code ＠} become ASCII), every Unicode decimal digit mapped to
 * {@code 0-9}, every space and dash variant to {@code ' '} and {@code '-'}, spelled digits ({@code "four one
 * one"}) to digits, and combining marks and invisible format characters (U+0301, U+200B, U+00AD) folded into the
 * character before them, so they cannot split a value. Every view character remembers the span of the original text it came from, so a match is
 * replaced in the original and text without matches is returned untouched. Immutable and thread-safe.
 */
final class TextScanner {

    /** What to look for; see {@link Redactor.Builder}. */
    record Options(boolean cards, boolean wholeCardRuns, boolean ssns, boolean phones, boolean emails, boolean datesOfBirth,
                   boolean allDates, Map<String, Pattern> patterns) {
    }

    /** A match in view coordinates. */
    record Region(int start, int end, String kind, int priority) {
    }

    private static final int MAX_SEPARATORS = 3;
    private static final int KEYWORD_REACH = 40;
    /** A group of this many digits written without separators carries no grouping: card windows may start anywhere in it. */
    private static final int LONG_GROUP = 7;

    private static final Pattern SSN_FORMATTED = Pattern.compile(
            "(?<![\\d])(\\d{3})[ .\\-]{1,2}(\\d{2})[ .\\-]{1,2}(\\d{4})(?![\\d])");
    private static final Pattern SSN_KEYWORD = Pattern.compile(
            "(?<![a-z])(?:ssn|ss#|s\\.s\\.n\\.?|social(?:\\s+security)?(?:\\s+(?:number|no\\.?|num|#))?)(?![a-z])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NINE_DIGITS = Pattern.compile("(?<![\\d])\\d(?:[ .\\-]{0,2}\\d){8}(?![\\d])");

    private static final Pattern PHONE_INTERNATIONAL = Pattern.compile(
            "(?<![\\p{N}+])(?:\\+|\\b00)[1-9]\\d{0,2}(?:[ .\\-/]{0,2}\\(?\\d{1,5}\\)?){1,7}(?!\\d)");
    private static final Pattern PHONE_NANP = Pattern.compile(
            "(?<![\\p{N}+])(?:1[ .\\-]{0,2})?(?:\\(\\d{3}\\)|\\d{3})[ .\\-]{0,2}\\d{3}[ .\\-]{0,2}\\d{4}(?!\\d)");
    private static final Pattern PHONE_NATIONAL = Pattern.compile(
            "(?<![\\p{N}+])0\\d{2,4}[ .\\-]{0,2}\\d{3,4}[ .\\-]{0,2}\\d{3,4}(?!\\d)");
    private static final Pattern PHONE_LOCAL = Pattern.compile("(?<![\\p{N}+\\-.])\\d{3}-\\d{4}(?![\\p{N}\\-])");

    // bounded repetitions everywhere: a long token (a base64 blob in an extension) must not make matching quadratic
    private static final String LABEL = "[\\p{L}\\p{N}_%+\\-]{1,64}";
    private static final String DOT = "(?:\\s+dot\\s+|\\s*[(\\[]dot[)\\]]\\s*|\\.)";
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\p{L}\\p{N}._%+\\-])[\\p{L}\\p{N}._%+\\-]{1,64}\\s?@\\s?[\\p{L}\\p{N}\\-]{1,63}(?:\\.[\\p{L}\\p{N}\\-]{1,63}){0,8}\\.\\p{L}{2,24}");
    private static final Pattern EMAIL_SPOKEN = Pattern.compile(
            "(?<![\\p{L}\\p{N}_%+\\-])" + LABEL + "(?:" + DOT + LABEL + "){0,8}(?:\\s+at\\s+|\\s*[(\\[]at[)\\]]\\s*)[\\p{L}\\p{N}\\-]{1,63}(?:" + DOT
                    + "[\\p{L}\\p{N}\\-]{1,63}){0,8}" + DOT
                    + "(?:com|org|net|edu|gov|io|uk|de|fr|ca|au|us)(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);

    private static final String MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            + "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?(?![\\p{L}])";
    private static final Pattern DATE_NUMERIC = Pattern.compile(
            "(?<![\\p{N}.\\-/])(\\d{1,2})([/.\\-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\p{N}]|[.\\-/]\\d)");
    private static final Pattern DATE_ISO = Pattern.compile(
            "(?<![\\p{N}.\\-/])((?:19|20)\\d{2})([/.\\-])(\\d{1,2})\\2(\\d{1,2})(?![\\p{N}]|[.\\-/]\\d)");
    private static final Pattern DATE_DAY_MONTH = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?[\\s,\\-]+" + MONTH + "[\\s,\\-]+((?:19|20)\\d{2})(?![\\p{N}])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DATE_MONTH_DAY = Pattern.compile(
            "(?<![\\p{L}\\p{N}])" + MONTH + "[\\s\\-]*(\\d{1,2})(?:st|nd|rd|th)?,?[\\s,\\-]+((?:19|20)\\d{2})(?![\\p{N}])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DATE_COMPACT = Pattern.compile(
            "(?<![\\p{N}])(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])(?![\\p{N}])");
    private static final Pattern BIRTH_KEYWORD = Pattern.compile(
            "(?<![a-z])(?:born(?:\\s+on)?|birth\\s*day|birth\\s*date|date\\s+of\\s+birth|d\\.?o\\.?b\\.?)(?![a-z])", Pattern.CASE_INSENSITIVE);
    /** A field whose name says it holds a birth date ({@code dob}, {@code dateOfBirth}, {@code birthday}). */
    private static final Pattern BIRTH_FIELD = Pattern.compile("dob|birth", Pattern.CASE_INSENSITIVE);

    private final Options options;

    TextScanner(Options options) {
        this.options = options;
    }

    /**
     * The sensitive regions of a view, non-overlapping, in order. A region found by an earlier detector (cards,
     * then SSNs, phones, e-mail, dates, configured patterns) wins over an overlapping later one.
     *
     * @param field the JSON field name the text came from, or null; a field named like a birth date makes any date
     *              in it a date of birth
     */
    List<Region> scan(TextView view, String field) {
        String v = view.text;
        List<Region> found = new ArrayList<>();
        if (options.cards()) {
            cards(v, found);
        }
        if (options.ssns()) {
            ssns(v, found);
        }
        if (options.phones()) {
            find(v, PHONE_INTERNATIONAL, Redactor.PHONE, 2, found, s -> digitCount(s) - (s.startsWith("00") ? 2 : 0) >= 8);
            find(v, PHONE_NANP, Redactor.PHONE, 2, found, s -> true);
            find(v, PHONE_NATIONAL, Redactor.PHONE, 2, found, s -> digitCount(s) >= 10 && digitCount(s) <= 11);
            find(v, PHONE_LOCAL, Redactor.PHONE, 2, found, s -> true);
        }
        if (options.emails()) {
            find(v, EMAIL, Redactor.EMAIL, 3, found, s -> true);
            find(v, EMAIL_SPOKEN, Redactor.EMAIL, 3, found, s -> true);
        }
        if (options.datesOfBirth() || options.allDates()) {
            dates(v, field, found);
        }
        int priority = 5;
        for (var e : options.patterns().entrySet()) {
            find(v, e.getValue(), e.getKey(), priority++, found, s -> !s.isEmpty());
        }
        if (found.isEmpty()) {
            return List.of();
        }
        found.sort(Comparator.comparingInt(Region::priority).thenComparingInt(Region::start));
        List<Region> accepted = new ArrayList<>();
        for (Region r : found) {
            boolean overlaps = false;
            for (Region a : accepted) {
                if (r.start() < a.end() && a.start() < r.end()) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                accepted.add(r);
            }
        }
        accepted.sort(Comparator.comparingInt(Region::start));
        return accepted;
    }

    // ---- cards: every 13-19 digit window of a digit run (flexible separators) that passes Luhn

    private void cards(String v, List<Region> found) {
        int n = v.length();
        int[] pos = new int[32];
        int i = 0;
        while (i < n) {
            if (!isDigit(v.charAt(i))) {
                i++;
                continue;
            }
            int count = 0;
            int last = i;
            int j = i;
            while (j < n) {
                char c = v.charAt(j);
                if (isDigit(c)) {
                    if (count == pos.length) {
                        pos = Arrays.copyOf(pos, pos.length * 2);
                    }
                    pos[count++] = j;
                    last = j;
                    j++;
                } else if (isSeparator(c) && j - last <= MAX_SEPARATORS) {
                    j++;
                } else {
                    break;
                }
            }
            if (count >= 13) {
                cardRun(v, pos, count, found);
            }
            i = last + 1;
        }
    }

    /**
     * Marks every Luhn-valid 13-19 digit window of one run. Windows follow how the digits are written: where they
     * come in groups ({@code 4111 1111 1111 1111 123}), a window starts and ends at group edges; inside a group of
     * {@link #LONG_GROUP} or more digits (an unseparated run) it may start and end anywhere.
     */
    private void cardRun(String v, int[] pos, int count, List<Region> found) {
        boolean[] canStart = new boolean[count];
        boolean[] canEnd = new boolean[count];
        int g = 0;
        while (g < count) {
            int e = g;
            while (e + 1 < count && pos[e + 1] == pos[e] + 1) {
                e++;
            }
            boolean anywhere = e - g + 1 >= LONG_GROUP;
            for (int k = g; k <= e; k++) {
                canStart[k] = anywhere || k == g;
                canEnd[k] = anywhere || k == e;
            }
            g = e + 1;
        }
        boolean[] marked = new boolean[count];
        boolean any = false;
        for (int s = 0; s + 13 <= count; s++) {
            if (!canStart[s]) {
                continue;
            }
            for (int len = 13; len <= 19 && s + len <= count; len++) {
                if (canEnd[s + len - 1] && luhn(v, pos, s, len)) {
                    Arrays.fill(marked, s, s + len, true);
                    any = true;
                }
            }
        }
        if (!any) {
            return;
        }
        if (options.wholeCardRuns()) {
            found.add(new Region(pos[0], pos[count - 1] + 1, Redactor.CARD_NUMBER, 0));
            return;
        }
        int k = 0;
        while (k < count) {
            if (!marked[k]) {
                k++;
                continue;
            }
            int e = k;
            while (e + 1 < count && marked[e + 1]) {
                e++;
            }
            found.add(new Region(pos[k], pos[e] + 1, Redactor.CARD_NUMBER, 0));
            k = e + 1;
        }
    }

    private static boolean luhn(String v, int[] pos, int start, int len) {
        int sum = 0;
        boolean dbl = false;
        for (int i = start + len - 1; i >= start; i--) {
            int d = v.charAt(pos[i]) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    // ---- SSNs: 123-45-6789 in any separator; 9 digits within reach after "ssn" / "social (security)"

    private static void ssns(String v, List<Region> found) {
        Matcher m = SSN_FORMATTED.matcher(v);
        while (m.find()) {
            int area = Integer.parseInt(m.group(1));
            if (area != 0 && area != 666 && area < 900 && !m.group(2).equals("00") && !m.group(3).equals("0000")) {
                found.add(new Region(m.start(), m.end(), Redactor.SSN, 1));
            }
        }
        Matcher k = SSN_KEYWORD.matcher(v);
        while (k.find()) {
            Matcher d = NINE_DIGITS.matcher(v).useTransparentBounds(true).region(k.end(), v.length());
            if (d.find() && d.start() - k.end() <= KEYWORD_REACH) {
                found.add(new Region(d.start(), d.end(), Redactor.SSN, 1));
            }
        }
    }

    // ---- dates: every full date (allDates), or dates introduced as a birth date (datesOfBirth)

    private void dates(String v, String field, List<Region> found) {
        String kind = options.allDates() ? Redactor.DATE : Redactor.DATE_OF_BIRTH;
        List<Region> candidates = new ArrayList<>();
        Matcher m = DATE_NUMERIC.matcher(v);
        while (m.find()) {
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(3));
            boolean valid = (a >= 1 && a <= 12 && b >= 1 && b <= 31) || (a >= 1 && a <= 31 && b >= 1 && b <= 12);
            if (valid && (m.group(4).length() == 4 ? year(m.group(4)) : true)) {
                candidates.add(new Region(m.start(), m.end(), kind, 4));
            }
        }
        m = DATE_ISO.matcher(v);
        while (m.find()) {
            int month = Integer.parseInt(m.group(3));
            int day = Integer.parseInt(m.group(4));
            if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
                candidates.add(new Region(m.start(), m.end(), kind, 4));
            }
        }
        for (Pattern p : new Pattern[] {DATE_DAY_MONTH, DATE_MONTH_DAY}) {
            m = p.matcher(v);
            while (m.find()) {
                int day = Integer.parseInt(m.group(1));
                if (day >= 1 && day <= 31) {
                    candidates.add(new Region(m.start(), m.end(), kind, 4));
                }
            }
        }
        boolean birthField = field != null && BIRTH_FIELD.matcher(field).find();
        List<int[]> keywords = new ArrayList<>();
        Matcher k = BIRTH_KEYWORD.matcher(v);
        while (k.find()) {
            keywords.add(new int[] {k.end()});
        }
        for (Region r : candidates) {
            if (options.allDates() || birthField || introduced(r, keywords)) {
                found.add(r);
            }
        }
        if (birthField || !keywords.isEmpty()) {
            // 19880304 is a date only where a birth date is expected
            m = DATE_COMPACT.matcher(v);
            while (m.find()) {
                Region r = new Region(m.start(), m.end(), kind, 4);
                if (birthField || introduced(r, keywords)) {
                    found.add(r);
                }
            }
        }
    }

    private static boolean introduced(Region r, List<int[]> keywordEnds) {
        for (int[] e : keywordEnds) {
            if (r.start() >= e[0] && r.start() - e[0] <= KEYWORD_REACH) {
                return true;
            }
        }
        return false;
    }

    private static boolean year(String y) {
        int year = Integer.parseInt(y);
        return year >= 1900 && year <= 2099;
    }

    // ---- helpers

    private static void find(String v, Pattern p, String kind, int priority, List<Region> found,
                             java.util.function.Predicate<String> accept) {
        Matcher m = p.matcher(v);
        while (m.find()) {
            if (m.end() > m.start() && accept.test(m.group())) {
                found.add(new Region(m.start(), m.end(), kind, priority));
            }
        }
    }

    private static int digitCount(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (isDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '/' || c == '_';
    }
}
