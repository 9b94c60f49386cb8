package dev.handoff.core.context;

import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.core.text.Lexicon;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.SentimentWords;
import dev.handoff.core.text.TokenSentiment;
import dev.handoff.core.text.Words;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link SentimentAnalyzer}: a word lexicon (customer-service vocabulary, valences -1..+1) with
 * negation ("not happy", "never works", "don't like"), intensifiers ("very", "really", "so", "extremely"),
 * down-toners ("a bit", "slightly", "kind of"), contrast ("fine, but it's broken": the clause after "but"
 * weighs more) and emphasis (an exclamation mark, a word in capitals). Used when the bot gives no sentiment
 * signal for a customer turn.
 *
 * <p>Deterministic, allocation-light, thread-safe and total: any text, including empty, gives a score in
 * -1..+1 (0 when no word of the lexicon occurs). The trigger engine's estimate reads the same words from the tokens
 * the engine already made of the turn (the shared {@code dev.handoff.core.text} tokenizer) rather than reading the
 * turn again, with the same score.
 */
public final class LexiconSentimentAnalyzer implements SentimentAnalyzer {

    /** How many following words a negation reaches ("not very happy" negates "happy"). */
    public static final int NEGATION_WINDOW = 3;

    /** Phrases keyed by their first word without apostrophes ("dont" for "don't understand"). */
    private static final Map<String, List<String>> PHRASES_BY_FIRST_WORD = new HashMap<>();

    static {
        for (String phrase : SentimentWords.PHRASES.keySet()) {
            String first = phrase.substring(0, phrase.indexOf(' ')).replace("'", "");
            PHRASES_BY_FIRST_WORD.computeIfAbsent(first, k -> new java.util.ArrayList<>()).add(phrase);
        }
        // the trigger engine scores turns from the tokens it already read (see scoreTokens)
        TokenSentiment.register(analyzer -> analyzer instanceof LexiconSentimentAnalyzer l ? l.tokens : null);
    }

    enum Kind { NEGATION, CONTRAST, MODIFIER, VALENCE, PHRASE_ONLY }

    /**
     * What one word does, looked up once per word; the phrases that start with it, their values, and their shapes
     * (length in the upper bits, last character in the low 16) to rule most of them out without reading them.
     */
    record Entry(Kind kind, double value, String @Nullable [] phrases, double @Nullable [] phraseValues,
                 long @Nullable [] phraseShapes) {
    }

    private final Table words;
    /**
     * True when every word of {@link #words} is marked {@link Words#SENTIMENT} by the shared tokenizer (the built-in
     * lexicon, or extra words that only change built-in valences), so unmarked tokens need no look-up.
     */
    private final boolean marked;
    private final TokenSentiment.Scorer tokens = this::scoreTokens;

    /** The built-in lexicon. */
    public LexiconSentimentAnalyzer() {
        this.words = index(SentimentWords.VALENCES);
        this.marked = true;
    }

    /**
     * Open-addressing table looked up with the 64-bit FNV-1a hash of a word's lower-case letters (the hash the
     * shared tokenizer, {@link Words#tokenize}, gives each token), as {@link Lexicon} is: a collision between a
     * lexicon word and a text word is possible in principle and ignored in practice (about 1 in 10^16 per lookup);
     * two lexicon words that collide are refused when the table is built.
     */
    private static final class Table {
        private final long[] keys;
        private final Entry[] values;
        private final int mask;

        Table(Map<String, Entry> entries) {
            int size = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
            keys = new long[size];
            values = new Entry[size];
            mask = size - 1;
            Map<Long, String> seen = new HashMap<>();
            entries.forEach((k, v) -> {
                long h = Lexicon.hash(k.toCharArray(), 0, k.length());
                String other = seen.put(h, k);
                if (other != null) {
                    throw new IllegalArgumentException("lexicon words \"" + other + "\" and \"" + k + "\" have the same hash");
                }
                int slot = (int) (h ^ (h >>> 32)) & mask;
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = h;
                values[slot] = v;
            });
        }

        @Nullable Entry get(long hash) {
            int slot = (int) (hash ^ (hash >>> 32)) & mask;
            long k;
            while ((k = keys[slot]) != 0) {
                if (k == hash) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            return null;
        }
    }

    private static Table index(Map<String, Double> lexicon) {
        Map<String, Entry> m = new HashMap<>();
        lexicon.forEach((w, v) -> m.put(w, new Entry(Kind.VALENCE, v, null, null, null)));
        SentimentWords.INTENSIFIERS.forEach((w, v) -> m.put(w, new Entry(Kind.MODIFIER, v, null, null, null)));
        SentimentWords.DOWNTONERS.forEach((w, v) -> m.put(w, new Entry(Kind.MODIFIER, v, null, null, null)));
        SentimentWords.CONTRAST.forEach(w -> m.put(w, new Entry(Kind.CONTRAST, 0, null, null, null)));
        SentimentWords.NEGATIONS.forEach(w -> m.put(w, new Entry(Kind.NEGATION, 0, null, null, null)));
        PHRASES_BY_FIRST_WORD.forEach((w, phrases) -> {
            Entry e = m.get(w);
            String[] array = phrases.toArray(String[]::new);
            double[] values = new double[array.length];
            long[] shapes = new long[array.length];
            for (int k = 0; k < array.length; k++) {
                values[k] = SentimentWords.PHRASES.get(array[k]);
                shapes[k] = ((long) array[k].length() << 16) | array[k].charAt(array[k].length() - 1);
            }
            m.put(w, e == null ? new Entry(Kind.PHRASE_ONLY, 0, array, values, shapes)
                    : new Entry(e.kind(), e.value(), array, values, shapes));
        });
        return new Table(m);
    }

    /**
     * The built-in lexicon with your words added or overriding it (domain terms: {@code "outage" -> -0.7}).
     *
     * @param extra lower-case words to valences in -1..+1
     * @throws IllegalArgumentException naming the word when a valence is outside -1..+1
     */
    public LexiconSentimentAnalyzer(Map<String, Double> extra) {
        Map<String, Double> m = new HashMap<>(SentimentWords.VALENCES);
        Objects.requireNonNull(extra, "extra").forEach((w, v) -> {
            if (v == null || v < -1 || v > 1) {
                throw new IllegalArgumentException("valence of \"" + w + "\" must be in -1..1, was " + v);
            }
            m.put(w.toLowerCase(Locale.ROOT), v);
        });
        this.words = index(m);
        this.marked = SentimentWords.all().containsAll(m.keySet());
    }

    @Override
    public double score(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        int n = text.length();
        SentimentTally t = SentimentTally.get();
        char[] chars = t.chars(n);
        text.getChars(0, n, chars, 0);
        boolean ascii = true;
        for (int k = 0; k < n && ascii; k++) {
            ascii = chars[k] < 128;
        }
        t.begin(text, ascii);
        read(t, chars, 0, n);
        return t.score();
    }

    /**
     * The score of {@code text} read from the tokens the trigger engine already made of it, so the turn is not read
     * twice: the same score as {@link #score(String)}. A token stands for one of this analyzer's words when it is
     * exactly a run of ASCII letters of the text (the letters a-z, each mapped to one character of the text, nothing
     * dropped or rewritten between them, no letter or apostrophe on either side; on folded text each letter is also
     * compared with the text's; on a {@link Scratch#verbatim} text every token of letters is one), so a typo the engine corrected, an expanded contraction, a folded accent or a number
     * is never taken for the customer's word; its hash is then the lexicon key. What lies between such tokens
     * (spaces, punctuation and any other word) is read as {@link #score(String)} reads it. When every word of this
     * analyzer is one the tokenizer marks ({@link Words#SENTIMENT}), an unmarked token is an unknown word without a
     * look-up. Allocates nothing on ASCII text.
     */
    private double scoreTokens(Scratch s, String text) {
        if (text.isBlank()) {
            return 0;
        }
        int n = text.length();
        SentimentTally t = SentimentTally.get();
        boolean folded = s.folded;
        char[] src;
        if (folded) {
            src = t.chars(n);
            text.getChars(0, n, src, 0);
        } else {
            src = s.in;       // the original characters when nothing was folded
        }
        t.begin(text, !folded);
        char[] out = s.out;
        int[] from = s.from;
        int[] to = s.to;
        int[] tokStart = s.tokStart;
        int[] tokEnd = s.tokEnd;
        boolean[] letters = s.tokLetters;
        long[] hashes = s.tokHash;
        int[] flags = s.tokFlags;
        boolean marked = this.marked;
        boolean verbatim = s.verbatim;
        int pos = 0;
        int unknown = 0;   // words not in the lexicon since the last one told to the tally
        for (int k = 0; k < s.tokCount; k++) {
            if (!letters[k]) {
                continue;   // a number, a clause mark or a symbol: read from the text with what surrounds it
            }
            int ts = tokStart[k];
            int len = tokEnd[k] - ts;
            int a = from[ts];
            int b = a + len;
            if (!verbatim && (a < pos || b > n || to[ts] != a + 1 || to[ts + len - 1] != b
                    || (a > 0 && inWord(src[a - 1])) || (b < n && inWord(src[b])) || (folded && !same(out, ts, src, a, len)))) {
                continue;   // not the customer's own letters one for one: read from the text
            }
            if (a - pos != 1 || src[pos] != ' ') {   // one space between two words changes nothing
                t.unknown(unknown);
                unknown = 0;
                read(t, src, pos, a);
            }
            Entry e = marked && (flags[k] & Words.SENTIMENT) == 0 ? null : words.get(hashes[k]);
            if (e == null) {
                unknown++;
            } else {
                t.unknown(unknown);
                unknown = 0;
                t.word(e, a, b, e.kind() == Kind.VALENCE && capitals(src, a, b));
            }
            pos = b;
        }
        t.unknown(unknown);
        read(t, src, pos, n);
        return t.score();
    }

    /** True when the text's characters are the token's letters in either case. */
    private static boolean same(char[] token, int at, char[] text, int from, int len) {
        for (int j = 0; j < len; j++) {
            if ((text[from + j] | 0x20) != token[at + j]) {
                return false;
            }
        }
        return true;
    }

    /** An ASCII word of at least three letters, none lower-case (shouted). */
    private static boolean capitals(char[] text, int from, int to) {
        if (to - from < 3) {
            return false;
        }
        for (int j = from; j < to; j++) {
            if (text[j] >= 'a') {
                return false;
            }
        }
        return true;
    }

    /** A letter or an apostrophe this analyzer reads as part of a word. */
    private static boolean inWord(char c) {
        return c < 128 ? ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '\'' : Character.isLetter(c) || c == '\u2019';
    }

    /** Reads the words and separators of {@code text[from, to)}; both ends are word boundaries. */
    private void read(SentimentTally t, char[] text, int from, int to) {
        int i = from;
        while (i < to) {
            char c = text[i];
            if (c == ' ') {
                i++;
                continue;
            }
            if (!Character.isLetter(c) && c != '\'' && c != '\u2019') {
                t.separator(c);
                i++;
                continue;
            }
            int start = i;
            boolean allCaps = true;
            int len = 0;
            long hash = Lexicon.FNV_OFFSET;
            while (i < to && (Character.isLetter(text[i]) || text[i] == '\'' || text[i] == '\u2019')) {
                char ch = text[i];
                if (Character.isLowerCase(ch)) {
                    allCaps = false;
                }
                if (ch != '\'' && ch != '\u2019') {
                    char lc = Character.toLowerCase(ch);
                    len++;
                    hash ^= lc;
                    hash *= Lexicon.FNV_PRIME;
                }
                i++;
            }
            if (len == 0) {
                continue;
            }
            Entry e = words.get(hash == 0 ? 1 : hash);
            if (e == null) {
                t.unknown(1);
            } else {
                t.word(e, start, i, allCaps && i - start >= 3);
            }
        }
    }
}
