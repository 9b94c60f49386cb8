package dev.handoff.core.context;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/** The view of a text and where each of its characters came from. */
final class TextView {

    /** Digits said as words ("four one one one"), read as digits. */
    private static final String[] SPELLED = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

    final String text;
    final int[] from;
    final int[] to;

    private TextView(String text, int[] from, int[] to) {
        this.text = text;
        this.from = from;
        this.to = to;
    }

    static TextView of(String original) {
        int len = original.length();
        StringBuilder v = new StringBuilder(len);
        int[] from = new int[len + 8];
        int[] to = new int[len + 8];
        int i = 0;
        while (i < len) {
            int cp = original.codePointAt(i);
            if (v.length() > 0 && invisible(cp)) {
                // "jose\u0301@..." and "jo\u200Bse@...": the mark or the invisible character joins the one before it
                to[v.length() - 1] = i + Character.charCount(cp);
                i += Character.charCount(cp);
                continue;
            }
            if (Character.isLetter(cp)) {
                int j = i;
                while (j < len && Character.isLetter(original.codePointAt(j))) {
                    j += Character.charCount(original.codePointAt(j));
                }
                int digit = spelled(original, i, j);
                if (digit >= 0) {
                    from = grow(from, v.length());
                    to = grow(to, v.length());
                    from[v.length()] = i;
                    to[v.length()] = j;
                    v.append((char) ('0' + digit));
                    i = j;
                    continue;
                }
                while (i < j) {
                    int c = original.codePointAt(i);
                    int n = Character.charCount(c);
                    String mapped = map(c);
                    for (int k = 0; k < mapped.length(); k++) {
                        from = grow(from, v.length());
                        to = grow(to, v.length());
                        from[v.length()] = i;
                        to[v.length()] = i + n;
                        v.append(mapped.charAt(k));
                    }
                    i += n;
                }
                continue;
            }
            int n = Character.charCount(cp);
            String mapped = map(cp);
            for (int k = 0; k < mapped.length(); k++) {
                from = grow(from, v.length());
                to = grow(to, v.length());
                from[v.length()] = i;
                to[v.length()] = i + n;
                v.append(mapped.charAt(k));
            }
            i += n;
        }
        return new TextView(v.toString(), from, to);
    }

    /** A combining mark (an accent written apart) or an invisible format character (zero-width space, soft hyphen). */
    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.FORMAT;
    }

    private static int[] grow(int[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, a.length * 2 + 8);
    }

    private static int spelled(String s, int start, int end) {
        int length = end - start;
        if (length < 2 || length > 5) {
            return -1;
        }
        String word = s.substring(start, end).toLowerCase(Locale.ROOT);
        if (word.equals("oh")) {
            return 0;
        }
        for (int d = 0; d < SPELLED.length; d++) {
            if (SPELLED[d].equals(word)) {
                return d;
            }
        }
        return -1;
    }

    private static String map(int cp) {
        if (cp < 0x80) {
            return cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0x0b ? " " : String.valueOf((char) cp);
        }
        if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
            return String.valueOf((char) ('0' + Character.digit(cp, 10)));
        }
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return " ";
        }
        if (Character.getType(cp) == Character.DASH_PUNCTUATION) {
            return "-";
        }
        String normalised = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
        return normalised.isEmpty() ? " " : normalised;
    }
}
