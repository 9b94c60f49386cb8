package dev.handoff.core.context;

import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.core.text.Lexicon;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.TokenSentiment;
import dev.handoff.core.text.Words;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    private static final Map<String, Double> BASE = new HashMap<>();

    static {
        add(0.8, "excellent", "amazing", "fantastic", "wonderful", "awesome", "outstanding", "love", "loved");
        add(0.7, "perfect", "brilliant", "relieved", "relief");
        add(0.6, "happy", "glad", "delighted", "pleased", "impressed", "thrilled", "excited", "lovely", "reassuring", "reassured");
        add(0.5, "great", "helpful", "appreciate", "appreciated", "resolved", "easy", "kind", "painless");
        add(0.4, "nice", "good", "helped");
        add(0.3, "interested", "interesting", "fair", "reasonable", "fast", "quick", "cool");
        add(0.15, "works", "working", "clear");
        add(0.08, "thanks", "thank");
        add(0.05, "ok", "okay", "alright", "understood", "fine", "sure", "yes", "yeah");
        add(-0.9, "furious", "outraged", "outrageous", "disgusted", "hate", "scam", "scammed", "lawsuit", "sue", "worst", "horrible",
                "unacceptable");
        add(-0.8, "terrible", "awful", "useless", "stupid", "ridiculous", "pathetic", "incompetent", "angry", "livid", "disgusting",
                "garbage", "nightmare", "terrified", "panicking", "humiliated");
        add(-0.7, "frustrated", "frustrating", "annoyed", "annoying", "upset", "disappointed", "disappointing", "fed", "waste",
                "wasted", "broken", "rude", "pain", "painful", "agony", "throbbing", "unbearable", "lied", "absurd", "disaster",
                "desperate", "insulting");
        add(-0.6, "scared", "panic", "stressed", "unbelievable", "stolen");
        add(-0.5, "bad", "wrong", "hurts", "hurting", "hurt", "worried", "worry", "confused", "confusing", "unhappy", "failed",
                "fails", "failing", "error", "errors", "crash", "crashes", "crashed", "overcharged", "late", "missing", "lost",
                "stuck", "problem", "problems", "complaint", "bug", "bugs", "anxious", "nervous", "afraid", "urgent", "emergency",
                "crazy", "freezing", "stressing", "dispute", "disputing", "damaged", "cracked", "broke", "leaking", "snapped", "fraud",
                "suspended", "outage", "fired", "sued", "threatened", "refused", "refusing", "denied", "disappeared", "swollen",
                "bleeding", "sores", "abscess");
        add(-0.3, "chipped", "swelling", "declined", "dropped", "dropping", "overdue", "suing", "invalid", "loose", "leak");
        add(-0.4, "worse", "hurry", "lawyer", "reporting");
        add(-0.3, "issue", "issues", "slow", "expensive", "concerned", "concern", "difficult", "hard", "unclear", "delay",
                "delayed", "waiting", "unsure", "hesitant", "pricey", "costly", "doubt", "skeptical", "sceptical", "risky",
                "again", "steep");
        add(-0.2, "cancel");
        add(-0.3, "whatever");
    }

    /** Multi-word expressions scored as one hit each, before the word pass (lower case). */
    static final Map<String, Double> PHRASES = Map.ofEntries(
            Map.entry("not good enough", -0.6), Map.entry("isn't the first time", -0.5), Map.entry("keeps happening", -0.5),
            Map.entry("charged twice", -0.5), Map.entry("charged me twice", -0.5), Map.entry("still hasn't", -0.5),
            Map.entry("still won't", -0.5), Map.entry("won't connect", -0.4), Map.entry("doesn't work", -0.5),
            Map.entry("isn't working", -0.5), Map.entry("not working", -0.5), Map.entry("stopped working", -0.5),
            Map.entry("don't understand", -0.5), Map.entry("don't recognise", -0.4), Map.entry("don't recognize", -0.4),
            Map.entry("nobody answers", -0.5), Map.entry("no one answers", -0.5), Map.entry("been down", -0.5), Map.entry("is down", -0.4),
            Map.entry("losing money", -0.6), Map.entry("more than we expected", -0.3),
            Map.entry("over budget", -0.4), Map.entry("too much", -0.4), Map.entry("no help", -0.6),
            Map.entry("went up", -0.3), Map.entry("waste of time", -0.8), Map.entry("fed up", -0.7), Map.entry("sounds good", 0.5),
            Map.entry("works for me", 0.4), Map.entry("that works", 0.2), Map.entry("makes sense", 0.3), Map.entry("thank you so much", 0.8),
            // relief and gratitude
            Map.entry("that helps", 0.5), Map.entry("would help", 0.4), Map.entry("really help", 0.4), Map.entry("thank god", 0.6),
            Map.entry("thank goodness", 0.6), Map.entry("thanks a lot", 0.5), Map.entry("fair enough", 0.2), Map.entry("you saved me", 0.8),
            Map.entry("that's something", 0.1), Map.entry("yes please", 0.3), Map.entry("hold you to that", -0.3),
            // problems reported in plain words
            Map.entry("still not", -0.4), Map.entry("not here", -0.3), Map.entry("broke down", -0.5), Map.entry("without asking", -0.4),
            Map.entry("shutting down", -0.4), Map.entry("won't let me", -0.5), Map.entry("got charged", -0.4), Map.entry("charged me", -0.3),
            Map.entry("by mistake", -0.4), Map.entry("doesn't fit", -0.3), Map.entry("never arrived", -0.5), Map.entry("didn't show", -0.6),
            Map.entry("knocked out", -0.5), Map.entry("not paying", -0.4), Map.entry("for me", 0.0), Map.entry("still says", -0.3),
            Map.entry("not what we agreed", -0.5), Map.entry("passed away", -0.5), Map.entry("wrong size", -0.2),
            // panic, threats and disbelief
            Map.entry("please hurry", -0.5), Map.entry("freaking out", -0.7), Map.entry("can't take", -0.6), Map.entry("is anyone there", -0.5),
            Map.entry("going to dispute", -0.6), Map.entry("with my bank", -0.3), Map.entry("bar association", -0.5),
            Map.entry("other vendor", -0.4), Map.entry("better be", -0.5), Map.entry("she'd better", -0.6), Map.entry("he'd better", -0.6),
            Map.entry("you'd better", -0.6), Map.entry("it'd better", -0.6), Map.entry("believe it when", -0.6),
            Map.entry("full stop", -0.4), Map.entry("want it back", -0.3), Map.entry("actually happens", -0.5), Map.entry("actually come", -0.4),
            Map.entry("you people", -0.6), Map.entry("another chatbot", -0.6), Map.entry("just what i needed", -0.7), Map.entry("oh great", -0.5),
            Map.entry("that's a no", -0.5), Map.entry("of course you are", -0.7), Map.entry("still in business", -0.5),
            Map.entry("are you even", -0.5), Map.entry("long time", -0.3), Map.entry("sick of", -0.7), Map.entry("tired of", -0.6),
            Map.entry("i'm done", -0.6), Map.entry("make sure they actually", -0.4), Map.entry("can't happen again", -0.5),
            Map.entry("heard nothing", -0.5), Map.entry("no one called", -0.5), Map.entry("nobody called", -0.5), Map.entry("nobody came", -0.5),
            Map.entry("nobody told", -0.4), Map.entry("nobody warned", -0.5), Map.entry("keeps asking", -0.4), Map.entry("same questions", -0.4),
            Map.entry("considering a lawyer", -0.6), Map.entry("a manager", -0.3), Map.entry("a supervisor", -0.3),
            Map.entry("someone senior", -0.3), Map.entry("take this much longer", -0.6),
            Map.entry("way over", -0.4), Map.entry("not fair", -0.5), Map.entry("lost my job", -0.7),
            Map.entry("can't afford", -0.4), Map.entry("it's tight", -0.15), Map.entry("is tight", -0.15),
            Map.entry("don't think it's for me", -0.3));

    private static final Map<String, Double> INTENSIFIERS = Map.ofEntries(
            Map.entry("very", 1.5), Map.entry("really", 1.4), Map.entry("so", 1.4), Map.entry("extremely", 1.8),
            Map.entry("incredibly", 1.7), Map.entry("totally", 1.5), Map.entry("completely", 1.6), Map.entry("absolutely", 1.6),
            Map.entry("super", 1.5), Map.entry("too", 1.3), Map.entry("utterly", 1.7), Map.entry("deeply", 1.5),
            Map.entry("seriously", 1.4), Map.entry("most", 1.3), Map.entry("such", 1.3));
    private static final Map<String, Double> DOWNTONERS = Map.ofEntries(
            Map.entry("slightly", 0.5), Map.entry("somewhat", 0.6), Map.entry("bit", 0.6), Map.entry("little", 0.6),
            Map.entry("kinda", 0.6), Map.entry("fairly", 0.7), Map.entry("rather", 0.8), Map.entry("barely", 0.4),
            Map.entry("mildly", 0.5), Map.entry("partly", 0.6));
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "nothing", "nobody", "none", "neither", "nor",
            "without", "hardly", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont",
            "wouldnt", "couldnt", "shouldnt", "havent", "hasnt", "aint");
    private static final Set<String> CONTRAST = Set.of("but", "however", "although", "though", "yet");

    /** Phrases keyed by their first word without apostrophes ("dont" for "don't understand"). */
    private static final Map<String, List<String>> PHRASES_BY_FIRST_WORD = new HashMap<>();

    static {
        for (String phrase : PHRASES.keySet()) {
            String first = phrase.substring(0, phrase.indexOf(' ')).replace("'", "");
            PHRASES_BY_FIRST_WORD.computeIfAbsent(first, k -> new java.util.ArrayList<>()).add(phrase);
        }
        // the trigger engine scores turns from the tokens it already read (see scoreTokens)
        TokenSentiment.register(analyzer -> analyzer instanceof LexiconSentimentAnalyzer l ? l.tokens : null);
    }

    private static void add(double value, String... words) {
        for (String w : words) {
            BASE.put(w, value);
        }
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
    private final TokenSentiment.Scorer tokens = this::scoreTokens;

    /** The built-in lexicon. */
    public LexiconSentimentAnalyzer() {
        this.words = index(BASE);
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
        INTENSIFIERS.forEach((w, v) -> m.put(w, new Entry(Kind.MODIFIER, v, null, null, null)));
        DOWNTONERS.forEach((w, v) -> m.put(w, new Entry(Kind.MODIFIER, v, null, null, null)));
        CONTRAST.forEach(w -> m.put(w, new Entry(Kind.CONTRAST, 0, null, null, null)));
        NEGATIONS.forEach(w -> m.put(w, new Entry(Kind.NEGATION, 0, null, null, null)));
        PHRASES_BY_FIRST_WORD.forEach((w, phrases) -> {
            Entry e = m.get(w);
            String[] array = phrases.toArray(String[]::new);
            double[] values = new double[array.length];
            long[] shapes = new long[array.length];
            for (int k = 0; k < array.length; k++) {
                values[k] = PHRASES.get(array[k]);
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
        Map<String, Double> m = new HashMap<>(BASE);
        Objects.requireNonNull(extra, "extra").forEach((w, v) -> {
            if (v == null || v < -1 || v > 1) {
                throw new IllegalArgumentException("valence of \"" + w + "\" must be in -1..1, was " + v);
            }
            m.put(w.toLowerCase(Locale.ROOT), v);
        });
        this.words = index(m);
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
     * (spaces, punctuation and any other word) is read as {@link #score(String)} reads it. Allocates nothing on ASCII
     * text.
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
            Entry e = words.get(hashes[k]);
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
