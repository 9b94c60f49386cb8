package dev.handoff.core.text;

import java.util.Arrays;

/**
 * Per-thread working memory for reading one text: the normalized text with its offset map back to the original,
 * the tokens, the phrase automaton's hits and the amounts found. Reused across calls so that reading a text on
 * which nothing is found allocates nothing. Not thread-safe: {@link #get()} gives each thread its own.
 *
 * <p>Fields are public for the readers in {@code dev.handoff.core} (trigger engine, commitment detector); this
 * package is not exported.
 */
public final class Scratch {

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    /** Texts longer than this get a scratch of their own, so one huge text does not pin memory to a thread. */
    public static final int MAX_POOLED_LENGTH = 16_384;
    /** At most this many distinct content words of a text are kept in its fingerprint: the first ones it holds. */
    public static final int MAX_PRINT = 32;

    /** The characters read (the original text, or its folded form when it holds non-ASCII characters). */
    public char[] in = new char[512];
    /** For each folded character, the first original character it came from (only when {@link #folded}). */
    public int[] inFrom = new int[512];
    /** For each folded character, the offset after the last original character it came from. */
    public int[] inTo = new int[512];
    /** True when {@link #in} holds a folded copy rather than the original characters. */
    public boolean folded;
    /**
     * True when every token is the text's own characters lower-cased one for one: an ASCII text without apostrophes
     * (so no contraction or elision was expanded) whose typos were not corrected.
     */
    public boolean verbatim;
    /** Length of the original text. */
    public int sourceLength;
    /**
     * The string whose normalization {@link #out} holds, or null once anything rewrote it ({@link Words#correctTypos}),
     * so normalizing the same string again costs nothing. Compared by identity.
     */
    String normalizedSource;

    /** Normalized characters; {@code out[0]} and {@code out[len - 1]} are spaces. */
    public char[] out = new char[512];
    /** For each normalized character, the offset of the first original character it came from. */
    public int[] from = new int[512];
    /** For each normalized character, the offset after the last original character it came from. */
    public int[] to = new int[512];
    public int len;

    /** Automaton hits as pairs: phrase id, normalized end offset (exclusive, padding included). */
    public int[] hits = new int[64];
    public int hitCount;

    /** Rule-level marks as triples (rule, normalized start, normalized end): negated hits, exception spans. */
    public int[] marks = new int[24];
    public int markCount;

    /** Tokens of the normalized text: start, end (exclusive), 64-bit hash, lexicon flags, lexicon value. */
    public int[] tokStart = new int[128];
    public int[] tokEnd = new int[128];
    public long[] tokHash = new long[128];
    public int[] tokFlags = new int[128];
    public int[] tokValue = new int[128];
    /** True when the token is only the letters a-z (no digit, symbol or other letter). */
    public boolean[] tokLetters = new boolean[128];
    public int tokCount;
    /** Every {@link Words} flag of some token of the text (set by {@link Words#tokenize}). */
    public int flagsSeen;
    /** True when some token of the text starts with a digit (set by {@link Words#tokenize}). */
    public boolean digitSeen;
    /** Tokens that look like a typo of a typo-tolerant word: token index, canonical word id. */
    public int[] typos = new int[8];
    public int typoCount;

    /** Content-token fingerprint of the text: distinct stemmed hashes, in text order (not sorted). */
    public long[] print = new long[MAX_PRINT];
    public int printLen;
    /**
     * A 64-bit summary of {@link #print}: bit {@code h >>> 58} is set for each hash {@code h}. Two fingerprints can
     * share a hash only where both have its bit, so most comparisons end at the signature.
     */
    public long printSig;

    /** Amounts found by {@link Money#scan}: value, currency index (-1 none), first and last token, flags. */
    public double[] amountValue = new double[8];
    public int[] amountCurrency = new int[8];
    public int[] amountFirst = new int[8];
    public int[] amountLast = new int[8];
    public int[] amountFlags = new int[8];
    public int amountCount;

    /** Spare buffers for rewriting the normalized text (typo correction). */
    char[] spareOut = new char[512];
    int[] spareFrom = new int[512];
    int[] spareTo = new int[512];

    /** This thread's scratch. */
    public static Scratch get() {
        return CURRENT.get();
    }

    /** This thread's scratch, or a fresh one for a text longer than {@link #MAX_POOLED_LENGTH}. */
    public static Scratch forLength(int length) {
        return length > MAX_POOLED_LENGTH ? new Scratch() : CURRENT.get();
    }

    void ensureInput(int capacity) {
        if (in.length < capacity) {
            int n = Math.max(capacity, in.length * 2);
            in = new char[n];
            inFrom = new int[n];
            inTo = new int[n];
        }
    }

    void ensureText(int capacity) {
        if (out.length < capacity) {
            int n = Math.max(capacity, out.length * 2);
            out = Arrays.copyOf(out, n);
            from = Arrays.copyOf(from, n);
            to = Arrays.copyOf(to, n);
        }
    }

    void ensureSpare(int capacity) {
        if (spareOut.length < capacity) {
            int n = Math.max(capacity, spareOut.length * 2);
            spareOut = new char[n];
            spareFrom = new int[n];
            spareTo = new int[n];
        }
    }

    /** Records an automaton hit. */
    public void addHit(int phrase, int end) {
        if (hitCount * 2 + 2 > hits.length) {
            hits = Arrays.copyOf(hits, hits.length * 2);
        }
        hits[hitCount * 2] = phrase;
        hits[hitCount * 2 + 1] = end;
        hitCount++;
    }

    /** Records a rule-level mark (a negated hit or an exception span). */
    public void addMark(int rule, int start, int end) {
        if (markCount * 3 + 3 > marks.length) {
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount * 3] = rule;
        marks[markCount * 3 + 1] = start;
        marks[markCount * 3 + 2] = end;
        markCount++;
    }

    void ensureTokens(int capacity) {
        if (tokStart.length < capacity) {
            int n = Math.max(capacity, tokStart.length * 2);
            tokStart = Arrays.copyOf(tokStart, n);
            tokEnd = Arrays.copyOf(tokEnd, n);
            tokHash = Arrays.copyOf(tokHash, n);
            tokFlags = Arrays.copyOf(tokFlags, n);
            tokValue = Arrays.copyOf(tokValue, n);
            tokLetters = Arrays.copyOf(tokLetters, n);
        }
    }

    void addTypo(int token, int canonical) {
        if (typoCount * 2 + 2 > typos.length) {
            typos = Arrays.copyOf(typos, typos.length * 2);
        }
        typos[typoCount * 2] = token;
        typos[typoCount * 2 + 1] = canonical;
        typoCount++;
    }

    void addAmount(double value, int currency, int first, int last, int flags) {
        if (amountCount == amountValue.length) {
            int n = amountCount * 2;
            amountValue = Arrays.copyOf(amountValue, n);
            amountCurrency = Arrays.copyOf(amountCurrency, n);
            amountFirst = Arrays.copyOf(amountFirst, n);
            amountLast = Arrays.copyOf(amountLast, n);
            amountFlags = Arrays.copyOf(amountFlags, n);
        }
        amountValue[amountCount] = value;
        amountCurrency[amountCount] = currency;
        amountFirst[amountCount] = first;
        amountLast[amountCount] = last;
        amountFlags[amountCount] = flags;
        amountCount++;
    }

    /** The token index at or after normalized offset {@code normPos}. */
    public int tokenAt(int normPos) {
        int lo = 0;
        int hi = tokCount - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (tokStart[mid] < normPos) {
                lo = mid + 1;
            } else if (tokStart[mid] > normPos) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return lo;
    }

    /** True when token {@code t} is the clause mark {@code |}. */
    public boolean isBoundary(int t) {
        return out[tokStart[t]] == '|';
    }

    /** Original offset where token {@code t} starts. */
    public int sourceStart(int t) {
        return from[tokStart[t]];
    }

    /** Original offset after token {@code t}. */
    public int sourceEnd(int t) {
        return Math.max(from[tokStart[t]], to[tokEnd[t] - 1]);
    }

    /** True when token {@code t} is the single character {@code c}. */
    public boolean tokIs(int t, char c) {
        return tokEnd[t] - tokStart[t] == 1 && out[tokStart[t]] == c;
    }

    /** True when token {@code t} equals {@code word} (lower case). */
    public boolean tokenIs(int t, String word) {
        int a = tokStart[t];
        int n = tokEnd[t] - a;
        if (n != word.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (out[a + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The normalized text as a string (tests and diagnostics only; allocates). */
    public String normalized() {
        return new String(out, 0, len);
    }
}
