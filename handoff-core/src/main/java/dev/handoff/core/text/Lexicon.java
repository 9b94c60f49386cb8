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

    /** Slot i: its key at {@code 2i}, its flags (high 32 bits) and value (low 32) at {@code 2i + 1}, in one cache line. */
    private final long[] table;
    private final int mask;

    /** @param entries word -> {flags, value} */
    public Lexicon(Map<String, int[]> entries) {
        int size = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1;   // at most half full
        table = new long[2 * size];
        mask = size - 1;
        for (Map.Entry<String, int[]> e : entries.entrySet()) {
            String w = e.getKey();
            long h = hash(w.toCharArray(), 0, w.length());
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (table[2 * i] != 0 && table[2 * i] != h) {
                i = (i + 1) & mask;
            }
            int flags = flagsAt(i) | e.getValue()[0];
            table[2 * i] = h;
            table[2 * i + 1] = ((long) flags << 32) | (e.getValue()[1] & 0xFFFFFFFFL);
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
            long k = table[2 * i];
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
        return slot < 0 ? 0 : (int) (table[2 * slot + 1] >>> 32);
    }

    public int valueAt(int slot) {
        return slot < 0 ? 0 : (int) table[2 * slot + 1];
    }
}
