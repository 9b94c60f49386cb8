package dev.handoff.core.trigger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Aho-Corasick automaton compiled to a dense deterministic transition table over a compact alphabet (the
 * characters that occur in the patterns, plus one class for every other character). Matching costs one table
 * read per character whatever the number of patterns. Immutable and thread-safe once built.
 */
final class Automaton {

    private final char[] classOf;   // char -> alphabet class (0 = not in any pattern)
    private final int width;        // row width: the number of classes
    private final int[] delta;      // row + class -> next row (state * width), sign bit set when it has outputs
    private final int[] outStart;   // state -> first index in outIds
    private final int[] outIds;     // pattern ids, grouped by state (own outputs and those of its suffix states)
    private final int states;

    /** @param patterns non-empty patterns; ids are their indexes */
    Automaton(List<String> patterns) {
        classOf = new char[65536];
        int classes = 1;
        for (String p : patterns) {
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (classOf[c] == 0) {
                    classOf[c] = (char) classes++;
                }
            }
        }
        // the build uses power-of-two rows; the final table is renumbered and packed to exact rows
        int buildWidth = Integer.highestOneBit(Math.max(2, classes) - 1) << 1;
        int shift = Integer.numberOfTrailingZeros(buildWidth);
        this.width = classes;
        int capacity = 1;
        for (String p : patterns) {
            capacity += p.length();
        }
        int[] trie = new int[capacity << shift];
        List<List<Integer>> own = new ArrayList<>();
        own.add(null);
        int count = 1;
        for (int id = 0; id < patterns.size(); id++) {
            String p = patterns.get(id);
            int s = 0;
            for (int i = 0; i < p.length(); i++) {
                int slot = (s << shift) | classOf[p.charAt(i)];
                int next = trie[slot];
                if (next == 0) {
                    next = count++;
                    trie[slot] = next;
                    own.add(null);
                }
                s = next;
            }
            if (own.get(s) == null) {
                own.set(s, new ArrayList<>(1));
            }
            own.get(s).add(id);
        }
        states = count;
        int[] delta = Arrays.copyOf(trie, count << shift);
        int[] fail = new int[count];
        int[] order = new int[count];
        int head = 0;
        int tail = 0;
        order[tail++] = 0;
        while (head < tail) {
            int s = order[head++];
            int row = s << shift;
            int failRow = fail[s] << shift;
            for (int c = 0; c < buildWidth; c++) {
                int child = delta[row | c];
                if (child != 0) {
                    fail[child] = s == 0 ? 0 : delta[failRow | c];
                    order[tail++] = child;
                } else {
                    delta[row | c] = s == 0 ? 0 : delta[failRow | c];
                }
            }
        }
        // outputs: a state's list is its own patterns followed by its fail state's list (BFS order: fail first)
        int[][] lists = new int[count][];
        lists[0] = new int[0];
        int total = 0;
        for (int k = 1; k < count; k++) {
            int st = order[k];
            List<Integer> mine = own.get(st);
            int[] inherited = lists[fail[st]];
            int[] all = new int[(mine == null ? 0 : mine.size()) + inherited.length];
            int j = 0;
            if (mine != null) {
                for (int id : mine) {
                    all[j++] = id;
                }
            }
            System.arraycopy(inherited, 0, all, j, inherited.length);
            lists[st] = all;
            total += all.length;
        }
        if ((long) count * classes >= (1L << 31)) {
            throw new IllegalArgumentException("too many phrases: " + count + " automaton states");
        }
        // renumber states in BFS order, so the shallow states that a scan visits most share few cache lines
        int[] newId = new int[count];
        for (int k = 0; k < count; k++) {
            newId[order[k]] = k;
        }
        outStart = new int[count + 1];
        outIds = new int[total];
        int at = 0;
        for (int k = 0; k < count; k++) {
            outStart[k] = at;
            System.arraycopy(lists[order[k]], 0, outIds, at, lists[order[k]].length);
            at += lists[order[k]].length;
        }
        outStart[count] = at;
        this.delta = new int[count * classes];
        for (int k = 0; k < count; k++) {
            int oldRow = order[k] << shift;
            for (int c = 0; c < classes; c++) {
                int t = newId[delta[oldRow | c]];
                this.delta[k * classes + c] = t * classes | (outStart[t] != outStart[t + 1] ? OUT : 0);
            }
        }
    }

    private static final int OUT = 1 << 31;

    /** Scans {@code text[0, len)} and appends every hit (pattern id, end offset) to {@code s}. */
    void scan(char[] text, int len, Scratch s) {
        final char[] cls = classOf;
        final int[] d = delta;
        final int[] os = outStart;
        final int w = width;
        int row = 0;
        for (int i = 0; i < len; i++) {
            int next = d[row + cls[text[i]]];
            if (next < 0) {
                row = next & ~OUT;
                int state = row / w;
                for (int a = os[state], b = os[state + 1]; a < b; a++) {
                    s.addHit(outIds[a], i + 1);
                }
            } else {
                row = next;
            }
        }
    }

    /** True as soon as any pattern occurs in {@code text[0, len)}. */
    boolean containsAny(char[] text, int len) {
        final char[] cls = classOf;
        final int[] d = delta;
        int row = 0;
        for (int i = 0; i < len; i++) {
            int next = d[row + cls[text[i]]];
            if (next < 0) {
                return true;
            }
            row = next;
        }
        return false;
    }

    int states() {
        return states;
    }
}
