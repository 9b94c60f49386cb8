package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which groups of literal words occur in a text, found in one pass of an {@link Automaton}: a guard that lets a
 * reader skip a regular expression that cannot match. Each group lists literals at least one of which every match
 * of the guarded expression contains (a necessary condition, never a sufficient one), so "no literal of the group
 * occurs" proves "no match" and the expression runs only when it might match; what it finds is unchanged.
 *
 * <p>Matching is case-insensitive over US-ASCII letters only, exactly like a {@link java.util.regex.Pattern} compiled
 * with {@code CASE_INSENSITIVE} and without {@code UNICODE_CASE}: literals must be lower-case ASCII, and the text's
 * {@code A-Z} are read as {@code a-z}, every other character as itself. At most 64 groups. Immutable and thread-safe.
 */
public final class Cues {

    /** The most groups one instance holds: one bit of a {@code long} each. */
    public static final int MAX_GROUPS = 64;

    private final Automaton automaton;
    private final long[] bits;
    private final int groups;

    private Cues(Automaton automaton, long[] bits, int groups) {
        this.automaton = automaton;
        this.bits = bits;
        this.groups = groups;
    }

    /**
     * Compiles the groups; group {@code i} is bit {@code i} of what {@link #find} returns.
     *
     * @param groups for each group, its literals (non-empty, lower-case US-ASCII)
     * @return the compiled cues
     * @throws IllegalArgumentException when there are more than {@link #MAX_GROUPS} groups, a group is empty, or a
     *                                  literal is empty or not lower-case ASCII
     */
    public static Cues of(List<List<String>> groups) {
        if (groups.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("at most " + MAX_GROUPS + " groups of cues, was " + groups.size());
        }
        Map<String, Long> owners = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).isEmpty()) {
                throw new IllegalArgumentException("group " + g + " of cues has no literal");
            }
            for (String literal : groups.get(g)) {
                if (literal.isEmpty() || !literal.equals(literal.toLowerCase(Locale.ROOT))
                        || !literal.chars().allMatch(c -> c < 128)) {
                    throw new IllegalArgumentException("a cue must be non-empty lower-case ASCII, was \"" + literal + "\"");
                }
                owners.merge(literal, 1L << g, (a, b) -> a | b);
            }
        }
        List<String> literals = new ArrayList<>(owners.keySet());
        long[] bits = new long[literals.size()];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = owners.get(literals.get(i));
        }
        return new Cues(new Automaton(literals, PhraseIndex.DEFAULT_MAX_CELLS), bits, groups.size());
    }

    /**
     * The groups that have a literal in {@code text}.
     *
     * @param text the text; its ASCII upper-case letters are read as lower-case
     * @return bit {@code i} set when a literal of group {@code i} occurs
     */
    public long find(CharSequence text) {
        int len = text.length();
        char[] lower = new char[len];
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            lower[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return automaton.union(lower, len, bits);
    }

    /**
     * Whether group {@code group} is among {@code found}.
     *
     * @param found what {@link #find} returned
     * @param group the group's index
     * @return true when a literal of the group occurred
     */
    public static boolean has(long found, int group) {
        return (found >>> group & 1) != 0;
    }

    /**
     * How many groups there are.
     *
     * @return the number of groups
     */
    public int groups() {
        return groups;
    }
}
