package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Finds many phrases in a text at once: the phrases are normalized (see below) and compiled into one Aho-Corasick
 * automaton, so the cost of a scan grows with the length of the text, not with the number of phrases. The same
 * phrases are also compiled over words ({@code WordAutomaton}) for the trigger engine, which has already tokenized the
 * turn: {@link #scanTokenized} takes one step per word a phrase holds instead of one per character, with the same
 * hits.
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
    /** The same phrases over words, for texts already tokenized: see {@link #scanTokenized}. */
    private final WordAutomaton words;

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
        words = new WordAutomaton(patterns, prefix);
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
     * normalized text ({@link Words#tokenize} ran after the last change to it): the phrases are matched word by word
     * (one step for each word some phrase holds, none for the others) instead of character by character.
     */
    public void scanTokenized(Scratch s) {
        s.hitCount = 0;
        words.scan(s);
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
