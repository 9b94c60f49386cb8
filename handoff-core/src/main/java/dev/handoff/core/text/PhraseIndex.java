package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds many phrases in a text at once: the phrases are normalized (see below) and compiled into one Aho-Corasick
 * automaton, so the cost of a scan grows with the length of the text, not with the number of phrases.
 *
 * <p>Text and phrases go through the same normalization: Unicode compatibility forms and accents (composed or
 * decomposed), case, punctuation, whitespace, apostrophes and dashes are folded, and contractions are expanded
 * ({@code "don't"}, {@code "dont"} and {@code "do not"} are the same). A phrase matches on whole words only
 * ({@code "pain"} does not match {@code "painting"}); a phrase ending in {@code *} matches any word that starts with
 * it ({@code "frustrat*"} matches {@code "frustrated"}). Match offsets refer to the original text.
 *
 * <p>Immutable and thread-safe; the scanning methods never throw on any text and allocate nothing unless they
 * return matches (working memory is kept per thread).
 *
 * <p>This is the one implementation, shared by the trigger engine and the commitment detector; users reach it
 * through the exported façade {@code dev.handoff.core.trigger.PhraseMatcher}. It lives here, below both, so that
 * neither {@code context} nor {@code trigger} depends on the other for it.
 */
public final class PhraseIndex {

    /** The largest automaton {@link #compile} builds: 16 million cells of its dense table (64 MB). */
    public static final long DEFAULT_MAX_CELLS = 16_000_000;

    private final List<String> phrases;
    private final List<String> normalized;
    private final int[] contentLength; // normalized phrase length without padding
    private final boolean[] prefix;
    private final Automaton automaton;
    /** Every word of every phrase (a prefix phrase's last word excepted): see {@link #scanTokenized}. */
    private final WordSet words;
    /**
     * The last word of each prefix phrase of three characters or more, by the hash of its first three characters
     * ({@link #key}; null where none): a word is compared only with the stems that start as it does.
     */
    private final char[][][] stemsByKey = new char[4096][][];
    /** The stems shorter than three characters, compared with every word. */
    private final char[][] shortStems;
    private final int rowAfterSpace;

    private PhraseIndex(List<String> phrases, long maxCells) {
        this.phrases = List.copyOf(phrases);
        List<String> patterns = new ArrayList<>(phrases.size());
        String[] norms = new String[phrases.size()];
        contentLength = new int[phrases.size()];
        prefix = new boolean[phrases.size()];
        for (int i = 0; i < phrases.size(); i++) {
            String p = Objects.requireNonNull(phrases.get(i), "phrase");
            String norm = normalizePhrase(p);
            if (norm.isEmpty()) {
                throw new IllegalArgumentException("phrase " + i + " (\"" + p + "\") has no letter or digit");
            }
            prefix[i] = p.strip().endsWith("*");
            contentLength[i] = norm.length();
            norms[i] = prefix[i] ? norm + "*" : norm;
            patterns.add(" " + norm + (prefix[i] ? "" : " "));
        }
        normalized = List.of(norms);
        automaton = new Automaton(patterns, maxCells);
        rowAfterSpace = automaton.rowAfterSpace();
        Set<String> vocabulary = new HashSet<>();
        char[][] shorts = null;
        for (int i = 0; i < norms.length; i++) {
            String[] parts = normalizedPhrase(i).split(" ");
            for (int w = 0; w < parts.length; w++) {
                if (prefix[i] && w == parts.length - 1) {
                    char[] stem = parts[w].toCharArray();
                    if (stem.length < 3) {
                        shorts = keep(shorts, stem);
                    } else {
                        int key = key(stem[0], stem[1], stem[2]);
                        stemsByKey[key] = keep(stemsByKey[key], stem);
                    }
                } else {
                    vocabulary.add(parts[w]);
                }
            }
        }
        words = new WordSet(vocabulary);
        shortStems = shorts == null ? new char[0][] : shorts;
    }

    /** {@code stems} with {@code stem} added, unless it starts with one of them (many phrases share a stem). */
    private static char[][] keep(char[][] stems, char[] stem) {
        if (startsWithAny(stem, 0, stem.length, stems)) {
            return stems;
        }
        char[][] more = stems == null ? new char[1][] : Arrays.copyOf(stems, stems.length + 1);
        more[more.length - 1] = stem;
        return more;
    }

    private String normalizedPhrase(int i) {
        String n = normalized.get(i);
        return prefix[i] ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * Compiles phrases.
     *
     * @throws IllegalArgumentException when a phrase has no letter or digit, or the automaton would be larger
     *                                  than {@link #DEFAULT_MAX_CELLS}
     */
    public static PhraseIndex compile(Collection<String> phrases) {
        return new PhraseIndex(new ArrayList<>(phrases), DEFAULT_MAX_CELLS);
    }

    /** As {@link #compile(Collection)} with a limit on the automaton's dense table (cells of 4 bytes). */
    public static PhraseIndex compile(Collection<String> phrases, long maxCells) {
        return new PhraseIndex(new ArrayList<>(phrases), maxCells);
    }

    /** The normalized form of a phrase as it is matched (no padding, no trailing {@code *}). */
    public static String normalizePhrase(String phrase) {
        Scratch s = Scratch.forLength(phrase.length());
        Normalizer.normalize(phrase, s);
        StringBuilder b = new StringBuilder(s.len);
        for (int i = 0; i < s.len; i++) {
            char c = s.out[i];
            if (c == '|' || c == ' ') {
                if (b.length() > 0 && b.charAt(b.length() - 1) != ' ') {
                    b.append(' ');
                }
            } else {
                b.append(c);
            }
        }
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == ' ') {
            end--;
        }
        return b.substring(0, end);
    }

    /** The phrases as they are matched, in the order given: normalized, a prefix phrase ending in {@code *}. */
    public List<String> normalizedPhrases() {
        return normalized;
    }

    /** The normalized form of a text as it is scanned (with its padding spaces and {@code |} clause marks). */
    public static String normalizeText(CharSequence text) {
        return Normalizer.normalize(text == null ? "" : text);
    }

    /** The automaton's dense table size in cells of 4 bytes (for capacity planning and limits). */
    public long cells() {
        return automaton.cells();
    }

    /** The phrases, in the order given (a match's {@link Match#phrase()} indexes this list). */
    public List<String> phrases() {
        return phrases;
    }

    /** How many states the automaton has (for capacity planning). */
    public int states() {
        return automaton.states();
    }

    /** True when any phrase occurs in {@code text}; false for null. Allocates nothing. */
    public boolean containsAny(CharSequence text) {
        if (text == null) {
            return false;
        }
        Scratch s = Scratch.forLength(text.length());
        Normalizer.normalize(text, s);
        return automaton.containsAny(s.out, s.len);
    }

    /** How many phrase occurrences {@code text} holds (overlapping ones included). Allocates nothing. */
    public int countMatches(CharSequence text) {
        if (text == null) {
            return 0;
        }
        Scratch s = scan(text);
        return s.hitCount;
    }

    /** Every phrase occurrence, in order of where it ends in the text. */
    public List<Match> findAll(CharSequence text) {
        if (text == null) {
            return List.of();
        }
        Scratch s = scan(text);
        List<Match> matches = new ArrayList<>(s.hitCount);
        String original = text.toString();
        for (int h = 0; h < s.hitCount; h++) {
            int id = s.hits[2 * h];
            int normEnd = s.hits[2 * h + 1];
            long span = span(s, id, normEnd);
            int start = (int) (span >>> 32);
            int end = (int) span;
            matches.add(new Match(id, phrases.get(id), start, end, original.substring(start, end)));
        }
        return matches;
    }

    /** Normalizes {@code text} into this thread's scratch and scans it; hits are in {@link Scratch#hits}. */
    public Scratch scan(CharSequence text) {
        Scratch s = Scratch.forLength(text.length());
        Normalizer.normalize(text, s);
        scanNormalized(s);
        return s;
    }

    /** Scans the normalized text already in {@code s}; hits are in {@link Scratch#hits}. */
    public void scanNormalized(Scratch s) {
        s.hitCount = 0;
        automaton.scan(s.out, s.len, s);
    }

    /**
     * As {@link #scanNormalized}, with the same hits in the same order, for a text whose tokens are those of its
     * normalized text ({@link Words#tokenize} ran after the last change to it): a word of at least
     * {@value #MIN_SKIPPED} characters that no phrase holds is stepped over instead of read character by character
     * (about half the characters of an ordinary turn for the default trigger policy), since after it and its space
     * the automaton stands where it stands after any single space ({@link Automaton#rowAfterSpace()}).
     */
    public void scanTokenized(Scratch s) {
        s.hitCount = 0;
        char[] out = s.out;
        int len = s.len;
        int[] starts = s.tokStart;
        int[] ends = s.tokEnd;
        long[] hashes = s.tokHash;
        int row = 0;
        int pos = 0;
        for (int k = 0; k < s.tokCount; k++) {
            int a = starts[k];
            int b = ends[k];
            if (b - a < MIN_SKIPPED || b >= len || out[b] != ' ' || words.contains(hashes[k]) || mayStartWithStem(out, a, b)) {
                continue;
            }
            row = automaton.scan(out, pos, a, row, s);
            row = rowAfterSpace;
            pos = b + 1;
        }
        automaton.scan(out, pos, len, row, s);
    }

    /** Words shorter than this are read: stepping over them saves less than the look-up costs. */
    static final int MIN_SKIPPED = 4;

    private static int key(char first, char second, char third) {
        return ((first * 31 + second) * 31 + third) & 4095;
    }

    /** True when a stem may start {@code out[a, b)}, a word of three characters or more. */
    private boolean mayStartWithStem(char[] out, int a, int b) {
        return startsWithAny(out, a, b, shortStems)
                || startsWithAny(out, a, b, stemsByKey[key(out[a], out[a + 1], out[a + 2])]);
    }

    private static boolean startsWithAny(char[] out, int a, int b, char[][] stems) {
        if (stems == null) {
            return false;
        }
        for (char[] stem : stems) {
            if (stem.length <= b - a && Arrays.equals(out, a, a + stem.length, stem, 0, stem.length)) {
                return true;
            }
        }
        return false;
    }

    /** An open-addressing set of words' {@link Lexicon#hash} values (half full at most). */
    private static final class WordSet {
        private final long[] keys;
        private final int mask;

        WordSet(Collection<String> words) {
            // sized by the distinct words: phrases repeat their words many times over (17,657 phrases of the default
            // policy hold 1,782 distinct words), and a table sized by the repeats is mostly empty and misses the cache
            int size = Integer.highestOneBit(Math.max(8, words.size() * 2) - 1) << 1;
            keys = new long[size];
            mask = size - 1;
            for (String w : words) {
                long h = Lexicon.hash(w.toCharArray(), 0, w.length());
                int i = (int) (h ^ (h >>> 32)) & mask;
                while (keys[i] != 0 && keys[i] != h) {
                    i = (i + 1) & mask;
                }
                keys[i] = h;
            }
        }

        boolean contains(long h) {
            int i = (int) (h ^ (h >>> 32)) & mask;
            long k;
            while ((k = keys[i]) != 0) {
                if (k == h) {
                    return true;
                }
                i = (i + 1) & mask;
            }
            return false;
        }
    }

    /** Normalized start (inclusive) of the hit's content, padding excluded. */
    public int normalizedStart(int id, int normEnd) {
        return normEnd - (prefix[id] ? 0 : 1) - contentLength[id];
    }

    /** Normalized end (exclusive) of the hit's content; a prefix phrase extends to the end of its word. */
    public int normalizedEnd(Scratch s, int id, int normEnd) {
        if (!prefix[id]) {
            return normEnd - 1;
        }
        int e = normEnd;
        while (e < s.len && s.out[e] != ' ') {
            e++;
        }
        return e;
    }

    /** The original span of a hit, packed as start << 32 | end. */
    public long span(Scratch s, int id, int normEnd) {
        int a = normalizedStart(id, normEnd);
        int b = normalizedEnd(s, id, normEnd);
        int start = s.from[a];
        int end = Math.max(start, s.to[b - 1]);
        return ((long) start << 32) | end;
    }

    /**
     * One occurrence of a phrase.
     *
     * @param phrase  index into {@link #phrases()}
     * @param pattern the phrase as given
     * @param start   offset of the first matched character in the original text
     * @param end     offset after the last matched character
     * @param text    the original characters
     */
    public record Match(int phrase, String pattern, int start, int end, String text) {
        public Match {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(text, "text");
        }
    }
}
