package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The phrase automaton of a {@link PhraseIndex} over words instead of characters, for a text already tokenized
 * ({@link Words#tokenize}): one step per word the phrases hold, none for any other word, where the character
 * automaton reads every character of every word it cannot rule out.
 *
 * <p>A phrase is a sequence of words, a prefix phrase's last word a stem; each distinct word and each distinct stem
 * is a symbol, and the phrases are an Aho-Corasick trie over the symbols (edges in one hash table, failure links). A
 * token is its word's symbol when it is one of the phrases' words (looked up by the tokenizer's 64-bit hash) and no
 * symbol otherwise, which sends the automaton back to its root; every stem the token starts with is tried from the
 * state before the token, and ends there, since a stem ends its phrase. A hit is kept only after the phrase's
 * padded characters are compared with the text's, so a collision of two hashes cannot make one. The hits and their
 * order are those of the character automaton ({@code TokenScanTest} compares the two on every shipped policy).
 *
 * <p>Immutable and thread-safe.
 */
final class WordAutomaton {

    /** Phrase ids by state: {@code outIds[outStart[s] .. outStart[s + 1])} (own, sorted, then the failure state's). */
    private final int[] outStart;
    private final int[] outIds;
    private final int[] fail;
    /** Symbol -> state after it from the root (0: none). */
    private final int[] rootChild;
    /** Trie edges below the root: key {@code (state << 32 | symbol) + 1}, 0 empty. */
    private final long[] edgeKeys;
    private final int[] edgeTargets;
    /** The phrases' words: hash -> symbol (open addressing, 0 empty). */
    private final long[] wordKeys;
    private final int[] wordSymbols;
    /** Stems of three characters or more by the hash of their first three ({@link #key}), shortest first. */
    private final int[][] stemsByKey = new int[4096][];
    /** A bit for each non-empty {@link #stemsByKey} bucket, so most words need no bucket. */
    private final long[] stemKeyBits = new long[64];
    /** Stems shorter than three characters, shortest first. */
    private final int[] shortStems;
    /** Stem symbol -> its characters (null for word symbols). */
    private final char[][] stemChars;
    /** Phrase id -> the padded pattern the character automaton matches, to confirm a hit. */
    private final char[][] patterns;

    /**
     * @param patterns the padded patterns of {@link PhraseIndex}: {@code " w1 w2 "}, or {@code " w1 stem"} for a prefix
     *                 phrase
     * @param prefix   for each pattern, whether its last word is a stem
     */
    WordAutomaton(List<String> patterns, boolean[] prefix) {
        this.patterns = new char[patterns.size()][];
        // a word's symbol is its hash's: two words with one hash (about 1 in 10^16 for a pair) share a symbol, so their
        // phrases are candidates for either and the comparison of each hit with the text keeps the right ones
        Map<Long, Integer> wordIds = new HashMap<>();
        Map<String, Integer> stemIds = new HashMap<>();
        int symbolCount = 1;   // symbol 0: no phrase's word
        int[][] sequences = new int[patterns.size()][];
        for (int id = 0; id < patterns.size(); id++) {
            String p = patterns.get(id);
            this.patterns[id] = p.toCharArray();
            String[] parts = p.strip().split(" ");
            int[] seq = new int[parts.length];
            for (int w = 0; w < parts.length; w++) {
                boolean stem = prefix[id] && w == parts.length - 1;
                Integer symbol = stem ? stemIds.get(parts[w]) : wordIds.get(hash(parts[w]));
                if (symbol == null) {
                    symbol = symbolCount++;
                    if (stem) {
                        stemIds.put(parts[w], symbol);
                    } else {
                        wordIds.put(hash(parts[w]), symbol);
                    }
                }
                seq[w] = symbol;
            }
            sequences[id] = seq;
        }
        stemChars = new char[symbolCount][];
        for (Map.Entry<String, Integer> e : stemIds.entrySet()) {
            stemChars[e.getValue()] = e.getKey().toCharArray();
        }
        // the words' hash table
        int wordSize = Integer.highestOneBit(Math.max(8, wordIds.size() * 2) - 1) << 1;
        wordKeys = new long[wordSize];
        wordSymbols = new int[wordSize];
        for (Map.Entry<Long, Integer> e : wordIds.entrySet()) {
            put(wordKeys, wordSymbols, e.getKey(), e.getValue());
        }
        shortStems = indexStems(stemIds);
        // pass 1: the trie, children as first-child / next-sibling lists (the root's in an array: it has many)
        int capacity = 1;
        for (int[] seq : sequences) {
            capacity += seq.length;
        }
        int[] firstChild = new int[capacity];
        int[] nextSibling = new int[capacity];
        int[] label = new int[capacity];
        int[] ownHead = new int[capacity];          // state -> first own phrase + 1, linked through ownNext
        int[] ownNext = new int[sequences.length];
        int[] rootOld = new int[symbolCount];
        int count = 1;
        for (int id = 0; id < sequences.length; id++) {
            int s = 0;
            for (int symbol : sequences[id]) {
                int next = 0;
                if (s == 0) {
                    next = rootOld[symbol];
                } else {
                    for (int k = firstChild[s]; k != 0; k = nextSibling[k]) {
                        if (label[k] == symbol) {
                            next = k;
                            break;
                        }
                    }
                }
                if (next == 0) {
                    next = count++;
                    label[next] = symbol;
                    nextSibling[next] = firstChild[s];
                    firstChild[s] = next;
                    if (s == 0) {
                        rootOld[symbol] = next;
                    }
                }
                s = next;
            }
            ownNext[id] = ownHead[s];
            ownHead[s] = id + 1;
        }
        int states = count;
        int edges = 0;
        for (int k = firstChild[0]; k != 0; k = nextSibling[k]) {
            edges--;
        }
        edges += states - 1;
        int edgeSize = Integer.highestOneBit(Math.max(2, edges * 2) - 1) << 1;
        edgeKeys = new long[edgeSize];
        edgeTargets = new int[edgeSize];
        rootChild = new int[symbolCount];
        fail = new int[states];
        // pass 2: breadth first, numbering the states in the order reached, so a failure state (shallower) has a
        // smaller number; edges, failure links and output counts in the same walk
        int[] oldOf = new int[states];
        int[] outCount = new int[states];
        int[] ownCount = new int[states];
        int tail = 1;
        long total = 0;
        for (int k = 0; k < states; k++) {
            int u = oldOf[k];
            for (int v = firstChild[u]; v != 0; v = nextSibling[v]) {
                int symbol = label[v];
                int child = tail++;
                oldOf[child] = v;
                fail[child] = k == 0 ? 0 : step(fail[k], symbol);
                if (k == 0) {
                    rootChild[symbol] = child;
                } else {
                    put(edgeKeys, edgeTargets, edgeKey(k, symbol), child);
                }
                int own = 0;
                for (int o = ownHead[v]; o != 0; o = ownNext[o - 1]) {
                    own++;
                }
                ownCount[child] = own;
                outCount[child] = own + outCount[fail[child]];
                total += outCount[child];
            }
        }
        // outputs: a state's own phrases (ascending) then its failure state's list, already written
        outStart = new int[states + 1];
        outIds = new int[(int) total];
        int at = 0;
        for (int k = 0; k < states; k++) {
            outStart[k] = at;
            for (int o = ownHead[oldOf[k]]; o != 0; o = ownNext[o - 1]) {
                outIds[at++] = o - 1;
            }
            Arrays.sort(outIds, outStart[k], at);
            int f = fail[k];
            int inherited = outCount[k] - ownCount[k];
            System.arraycopy(outIds, outStart[f], outIds, at, inherited);
            at += inherited;
        }
        outStart[states] = at;
    }

    /**
     * Fills {@link #stemsByKey} and {@link #stemKeyBits} with the stems of three characters or more and returns the
     * shorter ones; both shortest first, so the hits at one word come in the order of where they end.
     */
    private int[] indexStems(Map<String, Integer> stemIds) {
        List<Map.Entry<String, Integer>> stems = new ArrayList<>(stemIds.entrySet());
        stems.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length())
                .thenComparing(Map.Entry::getKey));
        int[] shorts = new int[0];
        for (Map.Entry<String, Integer> e : stems) {
            String stem = e.getKey();
            if (stem.length() < 3) {
                shorts = append(shorts, e.getValue());
            } else {
                int key = key(stem.charAt(0), stem.charAt(1), stem.charAt(2));
                stemsByKey[key] = append(stemsByKey[key] == null ? new int[0] : stemsByKey[key], e.getValue());
                stemKeyBits[key >>> 6] |= 1L << key;
            }
        }
        return shorts;
    }

    private static int[] append(int[] a, int value) {
        int[] more = Arrays.copyOf(a, a.length + 1);
        more[a.length] = value;
        return more;
    }

    private static long hash(String word) {
        return Lexicon.hash(word.toCharArray(), 0, word.length());
    }

    private static long edgeKey(int state, int symbol) {
        return (((long) state << 32) | symbol) + 1;
    }

    private static int slot(long h, int mask) {
        long m = h * 0x9E3779B97F4A7C15L;
        return (int) (m ^ (m >>> 32)) & mask;
    }

    static int key(char first, char second, char third) {
        return ((first * 31 + second) * 31 + third) & 4095;
    }

    /** Puts {@code key} (not 0, not there yet) with {@code value} into an open-addressing table of power-of-two size. */
    private static void put(long[] keys, int[] values, long key, int value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** The value of {@code key} in a table filled by {@link #put}, or {@code absent}. */
    private static int get(long[] keys, int[] values, long key, int absent) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        long k;
        while ((k = keys[i]) != 0) {
            if (k == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return absent;
    }

    /** The state after {@code symbol} from {@code state}, following failure links. */
    private int step(int state, int symbol) {
        for (int s = state; s != 0; s = fail[s]) {
            int next = get(edgeKeys, edgeTargets, edgeKey(s, symbol), -1);
            if (next >= 0) {
                return next;
            }
        }
        return rootChild[symbol];
    }

    /** The symbol of the word with hash {@code h}, or 0 when no phrase holds it. */
    private int symbolOf(long h) {
        return get(wordKeys, wordSymbols, h, 0);
    }

    /**
     * Appends to {@code s} every hit in its normalized text, whose tokens are those of {@link Words#tokenize}: the same
     * hits in the same order as the character automaton's scan of {@code s.out}.
     */
    void scan(Scratch s) {
        char[] text = s.out;
        int[] starts = s.tokStart;
        int[] ends = s.tokEnd;
        long[] hashes = s.tokHash;
        int state = 0;
        for (int k = 0; k < s.tokCount; k++) {
            int a = starts[k];
            int b = ends[k];
            int before = state;
            if (shortStems.length != 0) {
                stems(shortStems, text, a, b, before, s);
            }
            if (b - a >= 3) {
                int key = key(text[a], text[a + 1], text[a + 2]);
                if ((stemKeyBits[key >>> 6] & (1L << key)) != 0) {
                    stems(stemsByKey[key], text, a, b, before, s);
                }
            }
            int symbol = symbolOf(hashes[k]);
            state = symbol == 0 ? 0 : step(before, symbol);
            if (outStart[state] != outStart[state + 1]) {
                emit(state, text, b + 1, s);
            }
        }
    }

    /** The hits of the stems in {@code candidates} (shortest first) that start the word {@code text[a, b)}. */
    private void stems(int[] candidates, char[] text, int a, int b, int before, Scratch s) {
        for (int symbol : candidates) {
            char[] stem = stemChars[symbol];
            if (stem.length <= b - a && Arrays.equals(text, a, a + stem.length, stem, 0, stem.length)) {
                int q = step(before, symbol);
                if (outStart[q] != outStart[q + 1]) {
                    emit(q, text, a + stem.length, s);
                }
            }
        }
    }

    /** Keeps the outputs of {@code state} whose pattern ends at {@code end} in the text, as the characters say. */
    private void emit(int state, char[] text, int end, Scratch s) {
        for (int o = outStart[state], z = outStart[state + 1]; o < z; o++) {
            int id = outIds[o];
            char[] p = patterns[id];
            if (end - p.length >= 0 && Arrays.equals(text, end - p.length, end, p, 0, p.length)) {
                s.addHit(id, end);
            }
        }
    }
}
