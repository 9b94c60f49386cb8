package dev.handoff.core.context;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small helpers for the pieces of sentences the observer readers keep ({@link BantReader}, {@link PainReader},
 * {@link TimelineReader}, {@link WhisperWriter}): trailing punctuation trimmed ("around 600 a month." becomes "around
 * 600 a month"), long text cut at a word with an ellipsis, the first named group that matched, a capital first letter.
 * Stateless.
 */
final class Sentences {

    private Sentences() {
    }

    static String trim(String s) {
        String t = s.strip();
        while (!t.isEmpty() && ".,;:!?".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t;
    }

    /** White space after a sentence's final '.', '!' or '?'. */
    private static final Pattern AFTER_STOP = Pattern.compile("(?<=[.!?])\\s+");

    /** {@code text} cut where white space follows '.', '!' or '?' (the white space dropped). */
    static String[] split(String text) {
        return split(AFTER_STOP, text, false);
    }

    /**
     * {@code breaks.split(text)}, for an expression that matches only white space right after '.', '!' or '?' or (when
     * {@code newlines}) a line break: a text with no such place is one sentence, found without running the expression.
     */
    static String[] split(Pattern breaks, String text, boolean newlines) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (newlines && c == '\n' || (c == '.' || c == '!' || c == '?') && i + 1 < n && isSpace(text.charAt(i + 1))) {
                return breaks.split(text);
            }
        }
        return new String[] {text};
    }

    /** What {@code \\s} matches. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * {@code s} without what {@code lead}, an expression whose every branch starts with {@code ^}, matches at its start:
     * what {@code lead.matcher(s).replaceFirst("")} returns, without trying (and failing) at every other position.
     */
    static String dropLead(Pattern lead, String s) {
        Matcher m = lead.matcher(s);
        return m.lookingAt() ? s.substring(m.end()) : s;
    }

    /** Cut at a word boundary to at most {@code max} characters, with an ellipsis. */
    static String abbreviate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int cut = s.lastIndexOf(' ', max - 1);
        return trim(s.substring(0, cut > max / 2 ? cut : max - 1)) + "\u2026";
    }

    /**
     * The text of the first of {@code names} that took part in {@code m}'s match, or null: for patterns whose
     * alternatives each capture the same thing under their own group name.
     */
    static String firstGroup(Matcher m, String... names) {
        for (String name : names) {
            String g = m.group(name);
            if (g != null) {
                return g;
            }
        }
        return null;
    }

    static String capitalize(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
