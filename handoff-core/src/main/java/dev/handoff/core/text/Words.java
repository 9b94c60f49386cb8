package dev.handoff.core.text;

/**
 * The word classes every reader of customer text shares (negation cues, pronouns, number words, scales,
 * currencies, money and loss context, fillers, units, synonyms for loop detection), and the tokenizer that
 * classifies the tokens of a normalized text with them. Words are matched after {@link Normalizer} folding, so
 * {@code "¿Qué?"} and {@code "que"} are one word.
 */
public final class Words {

    /** Ignored for loop fingerprints (function words, acknowledgements, address words). */
    public static final int STOP = 1;
    /** A negation ({@code not}, {@code never}, {@code no}, {@code nunca}, {@code jamais}). */
    public static final int NEG = 1 << 1;
    /** A subject pronoun. */
    public static final int PRONOUN = 1 << 2;
    /** A number word ({@code seventy}); the value is the number. */
    public static final int NUMBER = 1 << 3;
    /** {@code hundred}. */
    public static final int HUNDRED = 1 << 4;
    /** A scale ({@code thousand}, {@code k}, {@code million}); the value is the power of ten. */
    public static final int SCALE = 1 << 5;
    /** A currency word or symbol; the value is its {@link Currencies} index. */
    public static final int CURRENCY = 1 << 6;
    /** A word that makes a bare number a sum of money ({@code budget}, {@code deal}, {@code price}). */
    public static final int MONEY_CONTEXT = 1 << 7;
    public static final int AND = 1 << 8;
    public static final int POINT = 1 << 9;
    /** {@code a}, {@code an}. */
    public static final int ARTICLE = 1 << 10;
    /** A scale that is money by itself ({@code grand}). */
    public static final int MONEY_SCALE = 1 << 11;
    /** A letter scale written after digits ({@code 75k}, {@code 1.5m}). */
    public static final int LETTER_SCALE = 1 << 12;
    /** A modal verb ({@code can}, {@code could}, {@code will}): "can not" is inability, not refusal. */
    public static final int MODAL = 1 << 13;
    /** A verb that carries its clause's negation ({@code I don't think I need ...}). */
    public static final int NEG_RAISING = 1 << 14;
    /** A word that starts a new clause for negation scope ({@code but}, {@code so}, {@code just}, {@code please}). */
    public static final int BREAK = 1 << 15;
    /** A word that may stand beside a bare request noun ({@code please}, {@code now}, {@code hello}). */
    public static final int FILLER = 1 << 16;
    /** A counted thing that is not money ({@code users}, {@code miles}, {@code followers}). */
    public static final int UNIT = 1 << 17;
    /** Loss or complaint context: an amount near it is not a deal ({@code lost}, {@code charged}, {@code refund}). */
    public static final int LOSS = 1 << 18;
    /** The bot asks the customer to confirm or repeat ({@code confirm}, {@code repeat}, {@code spell}). */
    public static final int CONFIRM = 1 << 19;
    /** A question word that turns a negation into a complaint ({@code why}). */
    public static final int WHY = 1 << 20;
    /** The word {@code no}: a negation only before what it denies, else an interjection. */
    public static final int NO = 1 << 21;
    /** A word with a synonym group for loop fingerprints; the value is the group. */
    public static final int SYNONYM = 1 << 22;
    /** A determiner or adjective that may sit between {@code no} and what it denies ({@code the}, {@code real}). */
    public static final int DETERMINER = 1 << 23;
    /**
     * A word the bundled sentiment lexicon reads ({@link SentimentWords}): the trigger engine's estimate looks up
     * only tokens so marked. Not a word class of its own: a word with no other flag is still an unknown word to every
     * other reader (typo detection included).
     */
    public static final int SENTIMENT = 1 << 24;
    /** A present-tense verb of asking for someone ({@code talk}, {@code connect}, {@code want}): see {@link #PERSON}. */
    public static final int REQUEST_VERB = 1 << 25;
    /**
     * A word for a person the customer could be handed to ({@code person}, {@code agent}, {@code someone}): the
     * trigger engine's request form reads a {@link #REQUEST_VERB} followed, across {@link #REQUEST_GAP} words only,
     * by such a word.
     */
    public static final int PERSON = 1 << 26;
    /** A word that may stand between a request verb and the person asked for ({@code to}, {@code me}, {@code a}). */
    public static final int REQUEST_GAP = 1 << 27;
    /** A word that puts its clause in the past or in reported speech ({@code had}, {@code said}, {@code yesterday}). */
    public static final int REPORTED = 1 << 28;

    /** Flags that only mark a word for one reader: typo detection still treats a word with no other flag as unknown. */
    static final int MARKS = SENTIMENT | REQUEST_VERB | PERSON | REQUEST_GAP | REPORTED;

    /** The shared word table. */
    public static final Lexicon LEXICON = WordTable.build();

    private Words() {
    }

    /**
     * The number of words in {@code s}: runs of characters other than the ASCII white space of {@code \\s} (space,
     * tab, line feed, vertical tab, form feed, carriage return); 0 for a blank text. Allocates nothing.
     */
    public static int count(CharSequence s) {
        int words = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean space = isSpace(s.charAt(i));
            if (!space && !in) {
                words++;
            }
            in = !space;
        }
        return words;
    }

    /** The first word of {@code s} (see {@link #count}), or the empty string for a blank text. */
    public static String first(String s) {
        int from = 0;
        while (from < s.length() && isSpace(s.charAt(from))) {
            from++;
        }
        int to = from;
        while (to < s.length() && !isSpace(s.charAt(to))) {
            to++;
        }
        return s.substring(from, to);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * Splits {@code s}'s normalized text into tokens, hashes and classifies them, and builds the text's loop
     * fingerprint (the distinct hashes of its content words and numbers, stemmed, synonyms merged, in text order: the
     * first {@link Scratch#MAX_PRINT}) with its {@link Scratch#printSig signature}. Allocates nothing.
     */
    public static void tokenize(Scratch s) {
        tokenize(s, null);
    }

    /** As {@link #tokenize(Scratch)}, also marking tokens that are typos of {@code typos}' words (nullable). */
    public static void tokenize(Scratch s, Typos typos) {
        char[] out = s.out;
        int len = s.len;
        s.ensureTokens(len / 2 + 2);
        s.typoCount = 0;
        int n = 0;
        int printLen = 0;
        long printSig = 0;
        int seen = 0;
        boolean digit = false;
        long[] print = s.print;
        Lexicon words = LEXICON;
        int i = 1;
        while (i < len) {
            int start = i;
            long h = Lexicon.FNV_OFFSET;
            // the hash without the last one to four characters, for the stem (register moves beside the multiply chain)
            long h1 = h;
            long h2 = h;
            long h3 = h;
            long h4 = h;
            int range = 0;   // negative once a character is outside a-z (free beside the hash's multiply chain)
            while (i < len && out[i] != ' ') {
                char c = out[i];
                h4 = h3;
                h3 = h2;
                h2 = h1;
                h1 = h;
                h ^= c;
                h *= Lexicon.FNV_PRIME;
                range |= (c - 'a') | ('z' - c);
                i++;
            }
            if (i > start) {
                if (h == 0) {
                    h = 1;
                }
                int slot = words.find(h);
                int flags = words.flagsAt(slot);
                s.tokStart[n] = start;
                s.tokEnd[n] = i;
                s.tokHash[n] = h;
                s.tokFlags[n] = flags;
                seen |= flags;
                s.tokValue[n] = words.valueAt(slot);
                s.tokLetters[n] = range >= 0;
                char c0 = out[start];
                if (range < 0) {
                    digit |= c0 >= '0' && c0 <= '9';
                }
                if ((flags & ~MARKS) == 0 && typos != null && i - start >= Typos.MIN_LENGTH - 1) {
                    int canonical = typos.find(h);
                    if (canonical >= 0) {
                        s.addTypo(n, canonical);
                    }
                }
                n++;
                if ((flags & STOP) == 0 && printLen < Scratch.MAX_PRINT && Normalizer.isWordChar(c0)) {
                    long p;
                    if ((flags & SYNONYM) != 0) {
                        p = 0x5EED0000L + words.valueAt(slot);
                    } else {
                        int cut = i - stemEnd(out, start, i);
                        long prefix = cut == 0 ? h : cut == 1 ? h1 : cut == 2 ? h2 : cut == 3 ? h3 : h4;
                        p = prefix == 0 ? 1 : prefix;
                    }
                    // distinct, in text order: a hash whose signature bit is still clear is new without a look
                    long bit = 1L << (int) (p >>> 58);
                    if ((printSig & bit) == 0 || !holds(print, printLen, p)) {
                        print[printLen++] = p;
                        printSig |= bit;
                    }
                }
            }
            i++;
        }
        s.tokCount = n;
        s.flagsSeen = seen;
        s.digitSeen = digit;
        s.printLen = printLen;
        s.printSig = printSig;
    }

    /** True when {@code a[0, n)} holds {@code p}. */
    private static boolean holds(long[] a, int n, long p) {
        for (int i = 0; i < n; i++) {
            if (a[i] == p) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks the tokens of {@code s} that are typos of {@code typos}' words (see {@link #correctTypos}); run after
     * {@link #tokenize(Scratch)}. Only words the shared table does not know are looked at ({@link #SENTIMENT} alone
     * does not count as knowing a word).
     */
    public static void markTypos(Scratch s, Typos typos) {
        s.typoCount = 0;
        if (typos.size() == 0) {
            return;
        }
        for (int t = 0; t < s.tokCount; t++) {
            if ((s.tokFlags[t] & ~MARKS) == 0 && s.tokEnd[t] - s.tokStart[t] >= Typos.MIN_LENGTH - 1) {
                int canonical = typos.find(s.tokHash[t]);
                if (canonical >= 0) {
                    s.addTypo(t, canonical);
                }
            }
        }
    }

    /** The hash of a word without a plural or verb ending ({@code resets}, {@code resetting} and {@code reset} agree). */
    static long stem(char[] w, int start, int end) {
        return Lexicon.hash(w, start, stemEnd(w, start, end));
    }

    /** Where the stem of {@code w[start, end)} ends: at most four characters are cut. */
    private static int stemEnd(char[] w, int start, int end) {
        int e = end;
        int n = end - start;
        if (n > 5 && w[e - 3] == 'i' && w[e - 2] == 'n' && w[e - 1] == 'g') {
            e -= 3;
            if (e - start > 3 && w[e - 1] == w[e - 2]) {
                e--; // "resetting" -> "reset"
            }
        } else if (n > 4 && w[e - 2] == 'e' && w[e - 1] == 'd') {
            e -= 2;
        } else if (n > 3 && w[e - 1] == 's' && w[e - 2] != 's') {
            e -= 1;
        }
        return e;
    }

    /**
     * Rewrites every token marked as a typo by {@link #tokenize(Scratch, Typos)} to its canonical word (the original
     * span still covers the customer's characters) and tokenizes again. Does nothing when no token was marked.
     */
    public static void correctTypos(Scratch s, Typos typos) {
        if (s.typoCount == 0) {
            return;
        }
        s.normalizedSource = null;   // the normalized text is about to change
        s.verbatim = false;
        int extra = 0;
        for (int k = 0; k < s.typoCount; k++) {
            extra += typos.word(s.typos[2 * k + 1]).length() + 1;
        }
        s.ensureSpare(s.len + extra + 2);
        char[] o = s.spareOut;
        int[] f = s.spareFrom;
        int[] t = s.spareTo;
        int at = 0;
        int copied = 0;
        for (int k = 0; k < s.typoCount; k++) {
            int tok = s.typos[2 * k];
            String word = typos.word(s.typos[2 * k + 1]);
            int a = s.tokStart[tok];
            int b = s.tokEnd[tok];
            int count = a - copied;
            System.arraycopy(s.out, copied, o, at, count);
            System.arraycopy(s.from, copied, f, at, count);
            System.arraycopy(s.to, copied, t, at, count);
            at += count;
            int srcFrom = s.from[a];
            int srcTo = s.to[b - 1];
            for (int c = 0; c < word.length(); c++) {
                o[at] = word.charAt(c);
                f[at] = srcFrom;
                t[at] = srcTo;
                at++;
            }
            copied = b;
        }
        int count = s.len - copied;
        System.arraycopy(s.out, copied, o, at, count);
        System.arraycopy(s.from, copied, f, at, count);
        System.arraycopy(s.to, copied, t, at, count);
        at += count;
        s.ensureText(at + 2);
        System.arraycopy(o, 0, s.out, 0, at);
        System.arraycopy(f, 0, s.from, 0, at);
        System.arraycopy(t, 0, s.to, 0, at);
        s.len = at;
        tokenize(s, null);
    }
}
