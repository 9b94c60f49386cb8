package dev.handoff.core.trigger;

import org.jspecify.annotations.Nullable;
import dev.handoff.core.text.PhraseIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

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
 * <p>Any thread may call any method: instances are immutable and thread-safe, and the scanning methods never throw
 * on any text and allocate nothing unless they return matches (working memory is kept per thread). This is the
 * public face of the engine's internal phrase index (the trigger engine and the commitment detector share it).
 */
public final class PhraseMatcher {

    /** The largest automaton {@link #compile} builds: 16 million cells of its dense table (64 MB). */
    public static final long DEFAULT_MAX_CELLS = PhraseIndex.DEFAULT_MAX_CELLS;

    private final PhraseIndex index;

    PhraseMatcher(PhraseIndex index) {
        this.index = Objects.requireNonNull(index, "index");
    }

    /**
     * Compiles phrases.
     *
     * @param phrases the phrases; a trailing {@code *} matches any word ending
     * @return the compiled, immutable, thread-safe matcher
     * @throws IllegalArgumentException when a phrase has no letter or digit, or the automaton would be larger
     *                                  than {@link #DEFAULT_MAX_CELLS}
     */
    public static PhraseMatcher compile(Collection<String> phrases) {
        return new PhraseMatcher(PhraseIndex.compile(phrases));
    }

    /** As {@link #compile(Collection)} with a limit on the automaton's dense table (cells of 4 bytes). */
    static PhraseMatcher compile(Collection<String> phrases, long maxCells) {
        return new PhraseMatcher(PhraseIndex.compile(phrases, maxCells));
    }

    /**
     * The normalized form of a phrase as it is matched (no padding, no trailing {@code *}).
     *
     * @param phrase a phrase as written in a policy
     * @return the normalized phrase
     */
    public static String normalizePhrase(String phrase) {
        return PhraseIndex.normalizePhrase(phrase);
    }

    /**
     * The normalized form of a text as it is scanned (with its padding spaces and {@code |} clause marks).
     *
     * @param text any text
     * @return the normalized text
     */
    public static String normalizeText(CharSequence text) {
        return PhraseIndex.normalizeText(text);
    }

    /**
     * The automaton's dense table size in cells of 4 bytes (for capacity planning and limits).
     *
     * @return the table size in cells
     */
    public long cells() {
        return index.cells();
    }

    /**
     * The phrases, in the order given (a match's {@link Match#phrase()} indexes this list).
     *
     * @return the phrases as given
     */
    public List<String> phrases() {
        return index.phrases();
    }

    /**
     * How many states the automaton has (for capacity planning).
     *
     * @return the state count
     */
    public int states() {
        return index.states();
    }

    /**
     * True when any phrase occurs in {@code text}; false for null. Allocates nothing.
     *
     * @param text nullable; the text to scan
     * @return true when any phrase occurs
     */
    public boolean containsAny(@Nullable CharSequence text) {
        return index.containsAny(text);
    }

    /**
     * How many phrase occurrences {@code text} holds (overlapping ones included). Allocates nothing.
     *
     * @param text the text to scan
     * @return the number of occurrences
     */
    public int countMatches(CharSequence text) {
        return index.countMatches(text);
    }

    /**
     * Every phrase occurrence, in order of where it ends in the text.
     *
     * @param text the text to scan
     * @return the matches; empty when none
     */
    public List<Match> findAll(CharSequence text) {
        List<PhraseIndex.Match> found = index.findAll(text);
        List<Match> out = new ArrayList<>(found.size());
        for (PhraseIndex.Match m : found) {
            out.add(new Match(m.phrase(), m.pattern(), m.start(), m.end(), m.text()));
        }
        return out;
    }

    /** The engine's index behind this façade. */
    PhraseIndex index() {
        return index;
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
        /**
         * Checks the components.
         *
         * @param phrase  index into {@link #phrases()}
         * @param pattern the phrase as given
         * @param start   offset of the first matched character in the original text
         * @param end     offset after the last matched character
         * @param text    the original characters
         * @throws NullPointerException when {@code pattern} or {@code text} is null
         */
        public Match {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(text, "text");
        }
    }
}
