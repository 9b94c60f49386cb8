package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every spelling at edit distance 1 (one letter deleted, inserted, replaced, or two neighbours swapped) of a few
 * words, mapped back to the word: {@code "represntative"}, {@code "opertor"}, {@code "agnet"} read as the words the
 * customer meant. Words shorter than {@link #MIN_LENGTH} letters are not given typos (too many real words sit one
 * letter away from them); spellings that are themselves words the reader knows (the shared {@link Words} table,
 * a list of real words next to common request words, and any word of the caller's phrases) are left alone.
 * Immutable and thread-safe.
 */
public final class Typos {

    /** Words shorter than this get no typo variants. */
    public static final int MIN_LENGTH = 5;

    /** Real words one edit away from common request words; never treated as typos. */
    private static final Set<String> REAL = Set.of("humane", "humans", "hymn", "gent", "argent", "agents", "agenda",
            "parson", "persona", "persons", "prison", "operators", "operate", "representatives", "supervisors", "someones",
            "customers", "costumer", "transfers", "manger", "managers", "agente", "agentes", "personne", "personnes",
            "persone", "humain", "humains", "humano", "humanos", "humana");

    private static final LongSet REAL_HASHES = new LongSet(REAL.size());

    static {
        REAL.forEach(r -> REAL_HASHES.add(hash(r)));
    }

    private final String[] words;
    private final long[] keys;
    private final int[] ids;
    private final int size;
    private final long[] bits; // a bloom-like prefilter over the hashes, so that most tokens cost one bit test

    private Typos(List<String> words, Map<Long, Integer> byHash) {
        this.words = words.toArray(String[]::new);
        this.size = byHash.size();
        int cap = Integer.highestOneBit(Math.max(2, size * 2) - 1) << 1;
        this.keys = new long[cap];
        this.ids = new int[cap];
        this.bits = new long[512];
        for (Map.Entry<Long, Integer> e : byHash.entrySet()) {
            long h = e.getKey();
            int b = bit(h);
            bits[b >>> 6] |= 1L << b;
            int i = (int) (h ^ (h >>> 32)) & (cap - 1);
            while (keys[i] != 0) {
                i = (i + 1) & (cap - 1);
            }
            keys[i] = h;
            ids[i] = e.getValue();
        }
    }

    private static int bit(long h) {
        return (int) (h >>> 49) & 0x7FFF;
    }

    /**
     * Works on hashes only (variants are written into one buffer and hashed there), so a policy with thousands of
     * phrases builds its table in well under a millisecond.
     *
     * @param words   the words to tolerate typos of (lower case, folded; shorter ones are ignored)
     * @param phrases normalized phrases (words separated by single spaces, a trailing {@code *} on a prefix word);
     *                none of their words is ever read as a typo
     */
    public static Typos of(Collection<String> words, Collection<String> phrases) {
        List<String> list = new ArrayList<>(new LinkedHashSet<>(words));
        LongSet keep = new LongSet(phrases.size() * 4 + list.size());
        char[] buf = new char[64];
        for (String p : phrases) {
            if (p.length() > buf.length) {
                buf = new char[p.length() * 2];
            }
            p.getChars(0, p.length(), buf, 0);
            int start = 0;
            for (int i = 0; i <= p.length(); i++) {
                if (i == p.length() || buf[i] == ' ') {
                    int end = i > start && buf[i - 1] == '*' ? i - 1 : i;
                    if (end > start) {
                        keep.add(Lexicon.hash(buf, start, end));
                    }
                    start = i + 1;
                }
            }
        }
        for (String w : list) {
            keep.add(hash(w));
        }
        Map<Long, Integer> byHash = new HashMap<>();
        Set<Long> ambiguous = new HashSet<>();
        for (int id = 0; id < list.size(); id++) {
            String w = list.get(id);
            int n = w.length();
            if (n < MIN_LENGTH) {
                continue;
            }
            if (buf.length < n + 2) {
                buf = new char[n * 2 + 2];
            }
            long plural = hash(w + "s");
            for (int kind = 0; kind < 4; kind++) {
                int positions = kind == 3 ? n + 1 : n;
                for (int i = 0; i < positions; i++) {
                    for (int c = 0; c < 26; c++) {
                        int len = variant(w, kind, i, (char) ('a' + c), buf);
                        if (len < 0) {
                            continue;
                        }
                        long h = Lexicon.hash(buf, 0, len);
                        if (keep.contains(h) || REAL_HASHES.contains(h) || h == plural
                                || (Words.LEXICON.flagsAt(Words.LEXICON.find(h)) & ~Words.MARKS) != 0) {
                            continue;
                        }
                        Integer old = byHash.putIfAbsent(h, id);
                        if (old != null && old != id) {
                            ambiguous.add(h);
                        }
                    }
                }
            }
        }
        ambiguous.forEach(byHash::remove);
        return new Typos(list, byHash);
    }

    /**
     * Writes one edit of {@code w} into {@code buf}: kind 0 deletes letter i, 1 replaces it with c, 2 swaps it with
     * the next, 3 inserts c before position i. Returns the length, or -1 when the edit is not one (the same word,
     * or a kind that ignores c asked for a second time).
     */
    private static int variant(String w, int kind, int i, char c, char[] buf) {
        int n = w.length();
        switch (kind) {
            case 0, 2 -> {
                if (c != 'a' || (kind == 2 && (i + 1 >= n || w.charAt(i) == w.charAt(i + 1)))) {
                    return -1;
                }
                w.getChars(0, n, buf, 0);
                if (kind == 0) {
                    System.arraycopy(buf, i + 1, buf, i, n - i - 1);
                    return n - 1;
                }
                buf[i] = w.charAt(i + 1);
                buf[i + 1] = w.charAt(i);
                return n;
            }
            case 1 -> {
                if (w.charAt(i) == c) {
                    return -1;
                }
                w.getChars(0, n, buf, 0);
                buf[i] = c;
                return n;
            }
            default -> {
                w.getChars(0, i, buf, 0);
                buf[i] = c;
                w.getChars(i, n, buf, i + 1);
                return n + 1;
            }
        }
    }

    private static long hash(String s) {
        return Lexicon.hash(s.toCharArray(), 0, s.length());
    }

    /** No typos at all. */
    public static Typos none() {
        return new Typos(List.of(), Map.of());
    }

    /** A set of word hashes (0 is never a hash: {@link Lexicon#hash} maps it to 1). */
    private static final class LongSet {
        private long[] keys;
        private int size;

        LongSet(int expected) {
            keys = new long[Integer.highestOneBit(Math.max(4, expected * 2) - 1) << 1];
        }

        void add(long h) {
            if (size * 2 >= keys.length) {
                long[] old = keys;
                keys = new long[old.length * 2];
                size = 0;
                for (long k : old) {
                    if (k != 0) {
                        add(k);
                    }
                }
            }
            int mask = keys.length - 1;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (keys[i] != 0) {
                if (keys[i] == h) {
                    return;
                }
                i = (i + 1) & mask;
            }
            keys[i] = h;
            size++;
        }

        boolean contains(long h) {
            int mask = keys.length - 1;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (keys[i] != 0) {
                if (keys[i] == h) {
                    return true;
                }
                i = (i + 1) & mask;
            }
            return false;
        }
    }

    /** The id of the word {@code hash} is a typo of, or -1. */
    public int find(long hash) {
        int b = bit(hash);
        if ((bits[b >>> 6] & (1L << b)) == 0) {
            return -1;
        }
        int mask = keys.length - 1;
        int i = (int) (hash ^ (hash >>> 32)) & mask;
        while (true) {
            long k = keys[i];
            if (k == hash) {
                return ids[i];
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The word with id {@code id}. */
    public String word(int id) {
        return words[id];
    }

    /** How many spellings are tolerated. */
    public int size() {
        return size;
    }
}
