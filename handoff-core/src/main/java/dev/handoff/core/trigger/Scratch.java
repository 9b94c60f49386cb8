package dev.handoff.core.trigger;

/**
 * Per-thread working memory for one evaluation: the normalized text with its offset map, the automaton's hits
 * and the token table. Reused across calls so that a turn on which nothing fires allocates nothing.
 */
final class Scratch {

    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    /** The original text's characters. */
    char[] in = new char[512];
    /** Normalized characters; {@code out[0]} and {@code out[len - 1]} are spaces. */
    char[] out = new char[512];
    /** For each normalized character, the offset of the first original character it came from. */
    int[] from = new int[512];
    /** For each normalized character, the offset after the last original character it came from. */
    int[] to = new int[512];
    int len;

    /** Automaton hits as pairs: phrase id, normalized end offset (exclusive, padding included). */
    int[] hits = new int[64];
    int hitCount;

    /** Negated hits as triples: rule, normalized start, normalized end. */
    int[] negated = new int[24];
    int negatedCount;

    /** Tokens of the normalized text: start, end (exclusive), 64-bit hash, lexicon flags, lexicon value. */
    int[] tokStart = new int[128];
    int[] tokEnd = new int[128];
    long[] tokHash = new long[128];
    int[] tokFlags = new int[128];
    int[] tokValue = new int[128];
    int tokCount;

    /** Content-token fingerprint of the current turn (sorted, distinct hashes). */
    long[] print = new long[RuleTriggerEvaluator.MAX_PRINT];
    int printLen;

    /** Texts longer than this get a scratch of their own, so one huge text does not pin memory to a thread. */
    static final int MAX_POOLED_LENGTH = 16_384;

    static Scratch get() {
        return CURRENT.get();
    }

    /** This thread's scratch, or a fresh one for a text longer than {@link #MAX_POOLED_LENGTH}. */
    static Scratch forLength(int length) {
        return length > MAX_POOLED_LENGTH ? new Scratch() : CURRENT.get();
    }

    void ensureText(int capacity) {
        if (out.length < capacity) {
            int n = Math.max(capacity, out.length * 2);
            in = new char[n];
            out = new char[n];
            from = new int[n];
            to = new int[n];
        }
    }

    void addHit(int phrase, int end) {
        if (hitCount * 2 + 2 > hits.length) {
            hits = java.util.Arrays.copyOf(hits, hits.length * 2);
        }
        hits[hitCount * 2] = phrase;
        hits[hitCount * 2 + 1] = end;
        hitCount++;
    }

    void addNegated(int rule, int start, int end) {
        if (negatedCount * 3 + 3 > negated.length) {
            negated = java.util.Arrays.copyOf(negated, negated.length * 2);
        }
        negated[negatedCount * 3] = rule;
        negated[negatedCount * 3 + 1] = start;
        negated[negatedCount * 3 + 2] = end;
        negatedCount++;
    }

    void ensureTokens(int capacity) {
        if (tokStart.length < capacity) {
            int n = Math.max(capacity, tokStart.length * 2);
            tokStart = java.util.Arrays.copyOf(tokStart, n);
            tokEnd = java.util.Arrays.copyOf(tokEnd, n);
            tokHash = java.util.Arrays.copyOf(tokHash, n);
            tokFlags = java.util.Arrays.copyOf(tokFlags, n);
            tokValue = java.util.Arrays.copyOf(tokValue, n);
        }
    }

    /** The normalized text as a string (tests and diagnostics only; allocates). */
    String normalized() {
        return new String(out, 0, len);
    }
}
