package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
     * @param words  the words to tolerate typos of (lower case, folded; shorter ones are ignored)
     * @param known  words that are never typos (for example every word of a policy's phrases)
     */
    public static Typos of(Collection<String> words, Collection<String> known) {
        List<String> list = new ArrayList<>(new LinkedHashSet<>(words));
        Set<String> keep = new java.util.HashSet<>(known);
        keep.addAll(list);
        Map<Long, Integer> byHash = new HashMap<>();
        Set<Long> ambiguous = new java.util.HashSet<>();
        for (int id = 0; id < list.size(); id++) {
            String w = list.get(id);
            if (w.length() < MIN_LENGTH) {
                continue;
            }
            for (String v : variants(w)) {
                if (keep.contains(v) || REAL.contains(v) || v.equals(w + "s")) {
                    continue;
                }
                long h = Lexicon.hash(v.toCharArray(), 0, v.length());
                if (Words.LEXICON.find(h) >= 0) {
                    continue;
                }
                Integer old = byHash.putIfAbsent(h, id);
                if (old != null && old != id) {
                    ambiguous.add(h);
                }
            }
        }
        ambiguous.forEach(byHash::remove);
        return new Typos(list, byHash);
    }

    /** No typos at all. */
    public static Typos none() {
        return new Typos(List.of(), Map.of());
    }

    static Set<String> variants(String w) {
        Set<String> out = new LinkedHashSet<>();
        String letters = "abcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < w.length(); i++) {
            out.add(w.substring(0, i) + w.substring(i + 1));
            for (char c : letters.toCharArray()) {
                if (c != w.charAt(i)) {
                    out.add(w.substring(0, i) + c + w.substring(i + 1));
                }
            }
            if (i + 1 < w.length() && w.charAt(i) != w.charAt(i + 1)) {
                out.add(w.substring(0, i) + w.charAt(i + 1) + w.charAt(i) + w.substring(i + 2));
            }
        }
        for (int i = 0; i <= w.length(); i++) {
            for (char c : letters.toCharArray()) {
                out.add(w.substring(0, i) + c + w.substring(i));
            }
        }
        out.remove(w);
        return out;
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
