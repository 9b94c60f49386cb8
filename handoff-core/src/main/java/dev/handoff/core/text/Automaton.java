package dev.handoff.core.text;

import java.util.Arrays;
import java.util.List;

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
     * Builds the automaton in two linear passes: a trie (first-child / next-sibling lists, no per-state rows), then
     * one breadth-first walk that numbers the states in the order it reaches them and writes each state's dense
     * row once, as a copy of its failure state's row (already final: a failure state is shallower) with the
     * state's own edges written over it. Outputs, failure links and the sparse edges are filled in the same walk.
     * Allocation is the final table plus a few arrays of one int per state.
     *
     * @param patterns non-empty patterns; ids are their indexes
     * @throws IllegalArgumentException when the table would exceed {@code maxCells} cells, or the patterns end
     *                                  inside each other more than {@code maxCells} times
     */
    public Automaton(List<String> patterns, long maxCells) {
        int classes = 1;
        int sparseDistinct = 0;
        int capacity = 1;
        char[] seenSparse = new char[16];
        for (String p : patterns) {
            capacity += p.length();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c < 128) {
                    if (classOf[c] == 0) {
                        classOf[c] = (byte) classes++;
                    }
                } else if (indexOf(seenSparse, sparseDistinct, c) < 0) {
                    if (sparseDistinct == seenSparse.length) {
                        seenSparse = Arrays.copyOf(seenSparse, sparseDistinct * 2);
                    }
                    seenSparse[sparseDistinct++] = c;
                }
            }
        }
        final int w = classes;
        this.width = w;
        // pass 1: the trie. Edge labels are the character itself (dense or sparse); children are linked lists,
        // except the root's dense children, which are many and looked up for every pattern.
        int initial = Math.max(16, Math.min(capacity, 1 << 16));
        int[] firstChild = new int[initial];
        int[] nextSibling = new int[initial];
        char[] label = new char[initial];
        int[] ownHead = new int[initial];       // state -> first own pattern + 1 (linked through ownNext)
        int[] ownNext = new int[patterns.size()];
        int[] rootChild = new int[w];
        int count = 1;
        int sparseEdges = 0;
        for (int id = 0; id < patterns.size(); id++) {
            String p = patterns.get(id);
            int s = 0;
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                int next = 0;
                if (s == 0 && c < 128) {
                    next = rootChild[classOf[c]];
                } else {
                    for (int k = firstChild[s]; k != 0; k = nextSibling[k]) {
                        if (label[k] == c) {
                            next = k;
                            break;
                        }
                    }
                }
                if (next == 0) {
                    next = count++;
                    if ((long) count * w > maxCells) {
                        throw tooLarge(maxCells, w);
                    }
                    if (count > label.length) {
                        int n = label.length * 2;
                        firstChild = Arrays.copyOf(firstChild, n);
                        nextSibling = Arrays.copyOf(nextSibling, n);
                        label = Arrays.copyOf(label, n);
                        ownHead = Arrays.copyOf(ownHead, n);
                    }
                    label[next] = c;
                    nextSibling[next] = firstChild[s];
                    firstChild[s] = next;
                    if (s == 0 && c < 128) {
                        rootChild[classOf[c]] = next;
                    }
                    if (c >= 128) {
                        sparseEdges++;
                    }
                }
                s = next;
            }
            ownNext[id] = ownHead[s];
            ownHead[s] = id + 1;
        }
        states = count;
        int setSize = Integer.highestOneBit(Math.max(2, sparseDistinct * 2) - 1) << 1;
        sparseChars = new char[sparseDistinct == 0 ? 1 : setSize];
        for (int k = 0; k < sparseDistinct; k++) {
            char c = seenSparse[k];
            int i = mix(c) & (sparseChars.length - 1);
            while (sparseChars[i] != 0) {
                i = (i + 1) & (sparseChars.length - 1);
            }
            sparseChars[i] = c;
        }
        int edgeSize = Integer.highestOneBit(Math.max(2, sparseEdges * 2) - 1) << 1;
        edgeKeys = new long[sparseEdges == 0 ? 1 : edgeSize];
        edgeTargets = new int[edgeKeys.length];
        // pass 2: breadth first over the trie; new ids in visiting order
        int[] d = new int[count * w];
        int[] failNew = new int[count];
        int[] oldOf = new int[count];   // new id -> trie state
        int[] outCount = new int[count]; // new id -> outputs (own + inherited)
        int[] ownCount = new int[count];
        int tail = 1;
        long totalOut = 0;
        for (int k = 0; k < count; k++) {
            int u = oldOf[k];
            int row = k * w;
            if (k != 0) {
                System.arraycopy(d, failNew[k] * w, d, row, w);
            }
            for (int v = firstChild[u]; v != 0; v = nextSibling[v]) {
                char c = label[v];
                int child = tail++;
                oldOf[child] = v;
                int f;
                if (c < 128) {
                    f = k == 0 ? 0 : (d[row + classOf[c]] & ~OUT) / w;
                } else {
                    f = k == 0 ? 0 : sparseGoto(failNew, failNew[k], c);
                    putEdge(k, c, child);
                }
                failNew[child] = f;
                int own = 0;
                for (int o = ownHead[v]; o != 0; o = ownNext[o - 1]) {
                    own++;
                }
                ownCount[child] = own;
                outCount[child] = own + outCount[f];
                totalOut += outCount[child];
                if (c < 128) {
                    d[row + classOf[c]] = child * w | (outCount[child] != 0 ? OUT : 0);
                }
            }
        }
        if (totalOut > maxCells) {
            // patterns nested in each other ("a", "a a", "a a a", ...) list every shorter one at every longer one's
            // states: refused here, before the lists are allocated, on the same budget as the table
            throw new IllegalArgumentException("the phrases end inside each other " + totalOut
                    + " times, over the limit of " + maxCells + " (the automaton's cell limit)");
        }
        // outputs: a state's list is its own patterns (in the order given) followed by its failure state's list,
        // which comes earlier in breadth-first order and is therefore already written
        outStart = new int[count + 1];
        outIds = new int[(int) totalOut];
        int at = 0;
        for (int k = 0; k < count; k++) {
            outStart[k] = at;
            int own = ownCount[k];
            for (int o = ownHead[oldOf[k]]; o != 0; o = ownNext[o - 1]) {
                outIds[at++] = o - 1;
            }
            Arrays.sort(outIds, outStart[k], at);
            int f = failNew[k];
            int inherited = outCount[k] - own;
            System.arraycopy(outIds, outStart[f], outIds, at, inherited);
            at += inherited;
        }
        outStart[count] = at;
        this.delta = d;
        this.fail = failNew;
    }

    private static int indexOf(char[] a, int n, char c) {
        for (int i = 0; i < n; i++) {
            if (a[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private void putEdge(int from, char c, int to) {
        long key = (((long) from << 16) | c) + 1;
        int mask = edgeKeys.length - 1;
        int i = (int) mix64(key) & mask;
        while (edgeKeys[i] != 0) {
            i = (i + 1) & mask;
        }
        edgeKeys[i] = key;
        edgeTargets[i] = to;
    }

    /** The state after {@code c} from {@code state}, following failure links (construction only). */
    private int sparseGoto(int[] failNew, int state, char c) {
        int s = state;
        while (true) {
            int next = edge(s, c);
            if (next >= 0) {
                return next;
            }
            if (s == 0) {
                return 0;
            }
            s = failNew[s];
        }
    }

    private static IllegalArgumentException tooLarge(long maxCells, int columns) {
        return new IllegalArgumentException("the phrases need more than " + maxCells / columns + " automaton states of "
                + columns + " columns, over the limit of " + maxCells + " cells");
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

    /**
     * The union of {@code bits[id]} over the ids of every pattern that occurs in {@code text[0, len)}: which groups
     * of patterns occur, in one pass and without allocating.
     *
     * @param text the text
     * @param len  how many characters of {@code text} to read
     * @param bits for each pattern id, the bits it stands for
     * @return the union of the bits of the patterns that occur; 0 when none does
     */
    public long union(char[] text, int len, long[] bits) {
        final byte[] cls = classOf;
        final int[] d = delta;
        final int[] os = outStart;
        final int w = width;
        long found = 0;
        int row = 0;
        for (int i = 0; i < len; i++) {
            char ch = text[i];
            int next = ch < 128 ? d[row + cls[ch]] : sparseStep(row, ch);
            if (next < 0) {
                row = next & ~OUT;
                int state = row / w;
                for (int a = os[state], b = os[state + 1]; a < b; a++) {
                    found |= bits[outIds[a]];
                }
            } else {
                row = next;
            }
        }
        return found;
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
