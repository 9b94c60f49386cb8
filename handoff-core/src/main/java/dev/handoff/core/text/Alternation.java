package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a regular-expression alternation of many words ({@code charged|charging|broken|...}) so that Java's
 * engine, at each position, tests one character per distinct first letter instead of starting every branch: the
 * branches that begin with the same literal lower-case letter or digit are gathered under it
 * ({@code c(?:harged|harging)|broken|...}). The readers of customer text match alternations of hundreds of words over
 * every clause of every turn when a handoff is packaged; gathered, they match several times faster.
 *
 * <p>The rewritten alternation matches exactly what the original matches, with the same leftmost-first preference:
 * branches that share a first letter keep their order; branches with different literal first letters cannot match
 * at the same position, so their order does not matter; a branch that does not start with a literal letter or digit
 * (a group, a class, an escape, an upper-case letter, a letter with a quantifier) stays where it was, and no branch
 * moves across it. Named groups inside branches keep their names. A branch with an unnamed capturing group is
 * refused, because gathering could renumber it.
 */
public final class Alternation {

    private Alternation() {
    }

    /**
     * The alternation {@code regex} (the text between the parentheses of a group, or a whole pattern without
     * anchors around the alternation) with its literal-first branches gathered by first character.
     *
     * @throws IllegalArgumentException when a branch has an unnamed capturing group, or the parentheses or
     *                                  brackets do not balance
     */
    public static String byFirstLetter(String regex) {
        List<String> branches = split(regex);
        StringBuilder out = new StringBuilder(regex.length() + 64);
        Map<Character, List<String>> run = new LinkedHashMap<>();
        for (String b : branches) {
            if (literalFirst(b)) {
                run.computeIfAbsent(b.charAt(0), k -> new ArrayList<>()).add(b.substring(1));
            } else {
                flush(run, out);
                append(out, b);
            }
        }
        flush(run, out);
        return out.toString();
    }

    private static void flush(Map<Character, List<String>> run, StringBuilder out) {
        for (Map.Entry<Character, List<String>> e : run.entrySet()) {
            List<String> rests = e.getValue();
            if (rests.size() == 1) {
                append(out, e.getKey() + rests.get(0));
            } else {
                append(out, e.getKey() + "(?:" + String.join("|", rests) + ")");
            }
        }
        run.clear();
    }

    private static void append(StringBuilder out, String branch) {
        if (out.length() > 0) {
            out.append('|');
        }
        out.append(branch);
    }

    private static boolean literalFirst(String b) {
        if (b.isEmpty()) {
            return false;
        }
        char c = b.charAt(0);
        if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
            return false;
        }
        return b.length() == 1 || "?*+{".indexOf(b.charAt(1)) < 0;
    }

    /** The top-level branches of {@code regex}. */
    private static List<String> split(String regex) {
        List<String> branches = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (inClass) {
                inClass = c != ']';
                continue;
            }
            switch (c) {
                case '[' -> inClass = true;
                case '(' -> {
                    if (i + 1 >= regex.length() || regex.charAt(i + 1) != '?') {
                        throw new IllegalArgumentException("an unnamed capturing group at index " + i + " of the alternation: "
                                + "gathering its branches could renumber it; expected (?:...) or (?<name>...)");
                    }
                    depth++;
                }
                case ')' -> {
                    if (--depth < 0) {
                        throw new IllegalArgumentException("an unbalanced ')' at index " + i + " of the alternation");
                    }
                }
                case '|' -> {
                    if (depth == 0) {
                        branches.add(regex.substring(start, i));
                        start = i + 1;
                    }
                }
                default -> {
                }
            }
        }
        if (depth != 0 || inClass) {
            throw new IllegalArgumentException("an unclosed group or class in the alternation");
        }
        branches.add(regex.substring(start));
        return branches;
    }
}
