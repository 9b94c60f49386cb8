package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Aho-Corasick automaton. Transitions on ASCII characters are a dense deterministic table over a compact
 * alphabet (the ASCII characters that occur in the patterns, plus one class for every other character): one table
 * read per character whatever the number of patterns. Transitions on non-ASCII characters are kept sparse (the
 * trie's own edges in a hash table, followed with failure links), so patterns in other scripts (CJK, Cyrillic)
 * cost memory in proportion to their characters, not to the size of their alphabet. Immutable and thread-safe.
 */
public final class Automaton {

    private static final int OUT = 1 << 31;

    private final byte[] classOf = new byte[128]; // ASCII char -> dense class (0 = not in any pattern)
    private final int width;        // dense row width: the number of classes
    private final int[] delta;      // row + class -> next row (state * width), sign bit set when it has outputs
    private final int[] outStart;   // state -> first index in outIds
    private final int[] outIds;     // pattern ids, grouped by state (own outputs and those of its suffix states)
    private final int states;
    // sparse part: non-ASCII characters that occur in patterns, the trie's edges on them, failure links
    private final char[] sparseChars;   // open-addressing set (0 = empty)
    private final long[] edgeKeys;      // (state << 16 | char) + 1, 0 = empty
    private final int[] edgeTargets;
    private final int[] fail;

    /**
     * @param patterns non-empty patterns; ids are their indexes
     * @throws IllegalArgumentException when the table would exceed {@code maxCells} cells
     */
    public Automaton(List<String> patterns, long maxCells) {
        int classes = 1;
        int sparseDistinct = 0;
        Map<Character, Boolean> seenSparse = new HashMap<>();
        int capacity = 1;
        for (String p : patterns) {
            capacity += p.length();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < 128) {
                    if (classOf[c] == 0) {
                        classOf[c] = (byte) classes++;
                    }
                } else if (seenSparse.put(c, Boolean.TRUE) == null) {
                    sparseDistinct++;
                }
            }
        }
        this.width = classes;
        // build: rows of exactly `classes` columns, grown as states are added; sparse edges in a map
        int w = classes;
        int[] trie = new int[Math.min(capacity, 1024) * w];
        int[] ownHead = new int[Math.min(capacity, 1024)];    // state -> first own pattern + 1 (linked through ownNext)
        int[] ownNext = new int[patterns.size()];
        Map<Long, Integer> sparse = new HashMap<>();
        List<List<long[]>> sparseChildren = new ArrayList<>(); // state -> [char, child], only for states with some
        sparseChildren.add(null);
        int count = 1;
        for (int id = 0; id < patterns.size(); id++) {
            String p = patterns.get(id);
            int s = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                int next;
                if (c < 128) {
                    int slot = s * w + classOf[c];
                    next = trie[slot];
                    if (next == 0) {
                        next = count++;
                        if ((long) count * w > maxCells) {
                            throw tooLarge(maxCells, w);
                        }
                        if (count * w > trie.length) {
                            trie = Arrays.copyOf(trie, Math.max(count * w, trie.length * 2));
                        }
                        if (count > ownHead.length) {
                            ownHead = Arrays.copyOf(ownHead, ownHead.length * 2);
                        }
                        trie[slot] = next;
                        sparseChildren.add(null);
                    }
                } else {
                    long key = ((long) s << 16) | c;
                    Integer known = sparse.get(key);
                    if (known == null) {
                        next = count++;
                        if ((long) count * w > maxCells) {
                            throw tooLarge(maxCells, w);
                        }
                        if (count * w > trie.length) {
                            trie = Arrays.copyOf(trie, Math.max(count * w, trie.length * 2));
                        }
                        if (count > ownHead.length) {
                            ownHead = Arrays.copyOf(ownHead, ownHead.length * 2);
                        }
                        sparse.put(key, next);
                        sparseChildren.add(null);
                        if (sparseChildren.get(s) == null) {
                            sparseChildren.set(s, new ArrayList<>(2));
                        }
                        sparseChildren.get(s).add(new long[] {c, next});
                    } else {
                        next = known;
                    }
                }
                s = next;
            }
            ownNext[id] = ownHead[s];
            ownHead[s] = id + 1;
        }
        states = count;
        int[] delta = trie.length == count * w ? trie : Arrays.copyOf(trie, count * w);
        int[] failOld = new int[count];
        int[] order = new int[count];
        int head = 0;
        int tail = 0;
        order[tail++] = 0;
        while (head < tail) {
            int s = order[head++];
            int row = s * w;
            int failRow = failOld[s] * w;
            for (int c = 0; c < w; c++) {
                int child = delta[row + c];
                if (child != 0) {
                    failOld[child] = s == 0 ? 0 : delta[failRow + c];
                    order[tail++] = child;
                } else {
                    delta[row + c] = s == 0 ? 0 : delta[failRow + c];
                }
            }
            List<long[]> kids = sparseChildren.get(s);
            if (kids != null) {
                for (long[] k : kids) {
                    int child = (int) k[1];
                    failOld[child] = s == 0 ? 0 : sparseGoto(sparse, failOld, failOld[s], (char) k[0]);
                    order[tail++] = child;
                }
            }
        }
        // outputs: a state's list is its own patterns followed by its fail state's list (BFS order: fail first)
        int[] empty = new int[0];
        int[][] lists = new int[count][];
        lists[0] = empty;
        int total = 0;
        for (int k = 1; k < count; k++) {
            int st = order[k];
            int[] inherited = lists[failOld[st]];
            int mine = 0;
            for (int o = ownHead[st]; o != 0; o = ownNext[o - 1]) {
                mine++;
            }
            if (mine == 0) {
                lists[st] = inherited;
            } else {
                int[] all = new int[mine + inherited.length];
                int j = 0;
                for (int o = ownHead[st]; o != 0; o = ownNext[o - 1]) {
                    all[j++] = o - 1;
                }
                // own patterns in the order given
                java.util.Arrays.sort(all, 0, mine);
                System.arraycopy(inherited, 0, all, j, inherited.length);
                lists[st] = all;
            }
            total += lists[st].length;
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
        this.delta = new int[count * w];
        for (int k = 0; k < count; k++) {
            int oldRow = order[k] * w;
            int newRow = k * w;
            for (int c = 0; c < w; c++) {
                int t = newId[delta[oldRow + c]];
                this.delta[newRow + c] = t * w | (outStart[t] != outStart[t + 1] ? OUT : 0);
            }
        }
        fail = new int[count];
        for (int k = 0; k < count; k++) {
            fail[newId[k]] = newId[failOld[k]];
        }
        int setSize = Integer.highestOneBit(Math.max(2, sparseDistinct * 2) - 1) << 1;
        sparseChars = new char[sparseDistinct == 0 ? 1 : setSize];
        for (Character c : seenSparse.keySet()) {
            int i = mix(c) & (sparseChars.length - 1);
            while (sparseChars[i] != 0) {
                i = (i + 1) & (sparseChars.length - 1);
            }
            sparseChars[i] = c;
        }
        int edgeSize = Integer.highestOneBit(Math.max(2, sparse.size() * 2) - 1) << 1;
        edgeKeys = new long[sparse.isEmpty() ? 1 : edgeSize];
        edgeTargets = new int[edgeKeys.length];
        for (Map.Entry<Long, Integer> e : sparse.entrySet()) {
            int from = newId[(int) (e.getKey() >>> 16)];
            char c = (char) (e.getKey() & 0xFFFF);
            long key = (((long) from << 16) | c) + 1;
            int i = (int) mix64(key) & (edgeKeys.length - 1);
            while (edgeKeys[i] != 0) {
                i = (i + 1) & (edgeKeys.length - 1);
            }
            edgeKeys[i] = key;
            edgeTargets[i] = newId[e.getValue()];
        }
    }

    private static IllegalArgumentException tooLarge(long maxCells, int columns) {
        return new IllegalArgumentException("the phrases need more than " + maxCells / columns + " automaton states of "
                + columns + " columns, over the limit of " + maxCells + " cells");
    }

    private static int sparseGoto(Map<Long, Integer> sparse, int[] fail, int state, char c) {
        int s = state;
        while (true) {
            Integer next = sparse.get(((long) s << 16) | c);
            if (next != null) {
                return next;
            }
            if (s == 0) {
                return 0;
            }
            s = fail[s];
        }
    }

    private static int mix(char c) {
        return c * 0x9E3779B1 >>> 16;
    }

    private static long mix64(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    private boolean isSparse(char c) {
        char[] set = sparseChars;
        int mask = set.length - 1;
        int i = mix(c) & mask;
        while (true) {
            char k = set[i];
            if (k == c) {
                return true;
            }
            if (k == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    private int edge(int state, char c) {
        long key = (((long) state << 16) | c) + 1;
        int mask = edgeKeys.length - 1;
        int i = (int) mix64(key) & mask;
        while (true) {
            long k = edgeKeys[i];
            if (k == key) {
                return edgeTargets[i];
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The next row (with the output flag) after a non-ASCII character from {@code row}. */
    private int sparseStep(int row, char c) {
        if (!isSparse(c)) {
            return 0;
        }
        int s = row / width;
        while (true) {
            int next = edge(s, c);
            if (next >= 0) {
                return next * width | (outStart[next] != outStart[next + 1] ? OUT : 0);
            }
            if (s == 0) {
                return 0;
            }
            s = fail[s];
        }
    }

    /** Scans {@code text[0, len)} and appends every hit (pattern id, end offset) to {@code s}. */
    public void scan(char[] text, int len, Scratch s) {
        final byte[] cls = classOf;
        final int[] d = delta;
        final int[] os = outStart;
        final int w = width;
        int row = 0;
        for (int i = 0; i < len; i++) {
            char ch = text[i];
            int next = ch < 128 ? d[row + cls[ch]] : sparseStep(row, ch);
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
    public boolean containsAny(char[] text, int len) {
        final byte[] cls = classOf;
        final int[] d = delta;
        int row = 0;
        for (int i = 0; i < len; i++) {
            char ch = text[i];
            int next = ch < 128 ? d[row + cls[ch]] : sparseStep(row, ch);
            if (next < 0) {
                return true;
            }
            row = next;
        }
        return false;
    }

    public int states() {
        return states;
    }

    /** Cells of the dense table (states times dense classes): the automaton's main memory cost, 4 bytes each. */
    public long cells() {
        return (long) states * width;
    }
}
