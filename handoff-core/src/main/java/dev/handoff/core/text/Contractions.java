package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contractions the {@link Normalizer} expands, with or without the apostrophe ({@code don't} and {@code dont}
 * read {@code do not}, {@code I'm} reads {@code i am}; forms such as {@code its} or {@code id} only when the customer
 * wrote the apostrophe), the generic {@code n't} ({@code needn't} reads {@code need not}), and the French elisions
 * that split a word at its apostrophe ({@code l'agent}, {@code qu'il}). {@link #mayExpand} is the cheap test the
 * normalizer runs on every word; {@link #endWord} rewrites a contraction in place in the scratch.
 */
final class Contractions {

    private static final int NEEDS_APOSTROPHE = 1;

    private static final String[] EXPANSIONS;
    /** By (first letter, last letter): a bit per length of the contraction keys; other words skip the lookup. */
    private static final int[] MAY_BE_CONTRACTION = new int[128 * 128];
    private static final Lexicon CONTRACTIONS;

    static {
        // word without apostrophe -> expansion; a leading '!' marks forms that are expanded only when the
        // customer wrote the apostrophe (its -> it is only for "it's", id -> i would only for "i'd")
        Map<String, String> table = new LinkedHashMap<>();
        String[] pairs = {
            "dont", "do not", "doesnt", "does not", "didnt", "did not", "cant", "can not", "cannot", "can not",
            "wont", "will not", "shant", "shall not", "aint", "is not", "isnt", "is not", "arent", "are not",
            "wasnt", "was not", "werent", "were not", "havent", "have not", "hasnt", "has not", "hadnt", "had not",
            "wouldnt", "would not", "shouldnt", "should not", "couldnt", "could not", "mustnt", "must not",
            "neednt", "need not", "mightnt", "might not",
            "im", "i am", "ive", "i have", "youre", "you are", "youve", "you have", "theyre", "they are",
            "weve", "we have", "thats", "that is", "whats", "what is", "theres", "there is", "heres", "here is",
            "wanna", "want to", "gonna", "going to", "gotta", "got to", "lemme", "let me", "gimme", "give me",
            "!id", "i would", "!ill", "i will", "!its", "it is", "!were", "we are", "!well", "we will",
            "!lets", "let us", "!hes", "he is", "!shes", "she is", "!whos", "who is", "!youd", "you would",
            "!youll", "you will", "!theyll", "they will", "!theyd", "they would", "!wed", "we would",
            "!itll", "it will", "!thatll", "that will", "!hed", "he would", "!shed", "she would",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            table.put(pairs[i], pairs[i + 1]);
        }
        List<String> expansions = new ArrayList<>();
        Map<String, int[]> entries = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : table.entrySet()) {
            boolean apostrophe = e.getKey().startsWith("!");
            String key = apostrophe ? e.getKey().substring(1) : e.getKey();
            entries.put(key, new int[] {apostrophe ? NEEDS_APOSTROPHE : 0, expansions.size()});
            expansions.add(e.getValue());
        }
        EXPANSIONS = expansions.toArray(String[]::new);
        for (String key : entries.keySet()) {
            MAY_BE_CONTRACTION[key.charAt(0) * 128 + key.charAt(key.length() - 1)] |= 1 << key.length();
        }
        CONTRACTIONS = new Lexicon(entries);
    }

    private Contractions() {
    }

    /** A French elided article, pronoun or conjunction before an apostrophe ({@code l'}, {@code qu'}, {@code jusqu'}). */
    static boolean isElision(char[] out, int start, int end) {
        int n = end - start;
        if (n == 1) {
            char c = out[start];
            return c == 'l' || c == 'd' || c == 'j' || c == 'm' || c == 'n' || c == 's' || c == 't' || c == 'c';
        }
        if (n == 2) {
            return out[start] == 'q' && out[start + 1] == 'u';
        }
        if (n == 5 || n == 6 || n == 7) {
            String w = new String(out, start, n);
            return w.equals("jusqu") || w.equals("lorsqu") || w.equals("puisqu") || w.equals("quoiqu") || w.equals("quelqu");
        }
        return false;
    }

    /** Cheap test run on every word: could it be a contraction? */
    static boolean mayExpand(char[] out, int wordStart, int len, int apostropheAt) {
        int wordLen = len - wordStart;
        if (wordLen < 2 || wordLen > 8) {
            return false;
        }
        if (apostropheAt >= 0) {
            return true;
        }
        char first = out[wordStart];
        char last = out[len - 1];
        return first < 128 && last < 128 && (MAY_BE_CONTRACTION[first * 128 + last] & (1 << wordLen)) != 0;
    }

    /** Expands a contraction ending at {@code len}; returns the new length. */
    static int endWord(Scratch s, int wordStart, int srcWordStart, int apostropheAt, int len) {
        char[] out = s.out;
        if (!mayExpand(out, wordStart, len, apostropheAt)) {
            return len;
        }
        int srcEnd = s.to[len - 1];
        int slot = CONTRACTIONS.find(Lexicon.hash(out, wordStart, len));
        if (slot >= 0 && ((CONTRACTIONS.flagsAt(slot) & NEEDS_APOSTROPHE) == 0 || apostropheAt >= 0)) {
            return write(s, wordStart, EXPANSIONS[CONTRACTIONS.valueAt(slot)], srcWordStart, srcEnd);
        }
        if (apostropheAt == len - 1 && out[len - 1] == 't' && out[len - 2] == 'n' && len - 2 > wordStart) {
            // generic n't: "needn't" -> "need not"
            int stemEnd = len - 2;
            int at = stemEnd;
            out[at] = ' ';
            s.from[at] = srcWordStart;
            s.to[at] = srcEnd;
            return write(s, at + 1, "not", srcWordStart, srcEnd);
        }
        return len;
    }

    private static int write(Scratch s, int at, String expansion, int srcFrom, int srcTo) {
        s.verbatim = false;
        for (int k = 0; k < expansion.length(); k++) {
            s.out[at + k] = expansion.charAt(k);
            s.from[at + k] = srcFrom;
            s.to[at + k] = srcTo;
        }
        return at + expansion.length();
    }
}
