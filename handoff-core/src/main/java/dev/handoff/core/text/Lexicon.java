package dev.handoff.core.text;

import java.util.Map;

/**
 * An immutable open-addressing map from a word (hashed, 64-bit FNV-1a over its chars) to flags and an int value.
 * Lookups take a char range and allocate nothing. A 64-bit hash collision between a lexicon word and a text
 * word is possible in principle and ignored in practice (about 1 in 10^17 per lookup for these table sizes).
 * Immutable and thread-safe.
 */
public final class Lexicon {

    public static final long FNV_OFFSET = 0xcbf29ce484222325L;
    public static final long FNV_PRIME = 0x100000001b3L;

    private final long[] keys;
    private final int[] flags;
    private final int[] values;
    private final int mask;

    /** @param entries word -> {flags, value} */
    public Lexicon(Map<String, int[]> entries) {
        int size = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
        keys = new long[size];
        flags = new int[size];
        values = new int[size];
        mask = size - 1;
        for (Map.Entry<String, int[]> e : entries.entrySet()) {
            String w = e.getKey();
            long h = hash(w.toCharArray(), 0, w.length());
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (keys[i] != 0 && keys[i] != h) {
                i = (i + 1) & mask;
            }
            keys[i] = h;
            flags[i] |= e.getValue()[0];
            values[i] = e.getValue()[1];
        }
    }

    public static long hash(char[] s, int from, int to) {
        long h = FNV_OFFSET;
        for (int i = from; i < to; i++) {
            h ^= s[i];
            h *= FNV_PRIME;
        }
        return h == 0 ? 1 : h;
    }

    /** The slot of {@code hash}, or -1. */
    public int find(long hash) {
        int i = (int) (hash ^ (hash >>> 32)) & mask;
        while (true) {
            long k = keys[i];
            if (k == hash) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    public int flagsAt(int slot) {
        return slot < 0 ? 0 : flags[slot];
    }

    public int valueAt(int slot) {
        return slot < 0 ? 0 : values[slot];
    }
}
