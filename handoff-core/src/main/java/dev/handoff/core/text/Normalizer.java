package dev.handoff.core.text;

import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Normalizes text for phrase matching and keeps, for every output character, the span of original characters it
 * came from, so that a match in normalized text maps back to the customer's own words.
 *
 * <p>The rules, in order:
 * <ul>
 *   <li>folding: every non-ASCII character is replaced by its NFKD compatibility decomposition without combining
 *       marks ({@code é}, {@code e}+U+0301 and {@code ＥＸＡＭＰＬＥ} all read as ASCII letters; {@code ß} reads
 *       {@code ss}, {@code œ} {@code oe}); a combining mark belongs to the character before it, so the offset map
 *       still covers the customer's own characters. Folding is the same for phrases and texts, whatever form
 *       (composed or decomposed) they arrive in;</li>
 *   <li>letters and digits are kept, lower-cased (locale-independent);</li>
 *   <li>apostrophes inside a word (' ’ ‘ ʼ ` ´ ′ ＇) are dropped, and contractions are expanded, with or without the
 *       apostrophe: {@code don't}, {@code dont} and {@code do not} all become {@code do not}; {@code I'm} becomes
 *       {@code i am}; a generic {@code n't} becomes {@code not}; a French elision splits its word
 *       ({@code l'agent} reads {@code l agent}, {@code qu'il} reads {@code qu il});</li>
 *   <li>{@code .} between digits is kept (a decimal point) and {@code ,} followed by exactly three digits is dropped
 *       (a thousands separator), so {@code $75,000.50} becomes {@code $ 75000.50};</li>
 *   <li>{@code $ € £ ¥ %} become tokens of their own;</li>
 *   <li>clause punctuation ({@code . , ; : ! ? ( ) [ ] " “ ” … ¿ ¡} and line breaks) becomes a boundary token
 *       {@code |}, which stops negation look-back;</li>
 *   <li>everything else (spaces, dashes of every kind, symbols, controls, lone surrogates) is a single space;</li>
 *   <li>the result starts and ends with one space and never holds two spaces in a row, so a phrase padded with
 *       spaces matches on word boundaries only.</li>
 * </ul>
 * Never throws on any input, including unpaired surrogates.
 */
public final class Normalizer {

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

    // classes of ASCII characters
    private static final byte A_SPACE = 0;
    private static final byte A_WORD = 1;
    private static final byte A_APOSTROPHE = 2;
    private static final byte A_BOUNDARY = 3;
    private static final byte A_TOKEN = 4;
    private static final byte A_DOT = 5;
    private static final byte A_COMMA = 6;
    private static final byte[] ASCII = new byte[128];
    /** Lower-case of each ASCII character. */
    private static final char[] LOWER = new char[128];
    /** Lower-case of each ASCII word character, a space for the other ASCII characters of class A_SPACE. */
    private static final char[] MAPPED = new char[128];

    static {
        for (char c = 0; c < 128; c++) {
            LOWER[c] = (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
            MAPPED[c] = ' ';
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                ASCII[c] = A_WORD;
                MAPPED[c] = LOWER[c];
            } else if (c == '\'' || c == '`') {
                ASCII[c] = A_APOSTROPHE;
            } else if (c == '.') {
                ASCII[c] = A_DOT;
            } else if (c == ',') {
                ASCII[c] = A_COMMA;
            } else if (isBoundary(c)) {
                ASCII[c] = A_BOUNDARY;
            } else if (c == '$' || c == '%') {
                ASCII[c] = A_TOKEN;
            } else {
                ASCII[c] = A_SPACE;
            }
        }
    }

    private Normalizer() {
    }

    /**
     * Normalizes {@code text} into {@code s.out}/{@code s.from}/{@code s.to}/{@code s.len}. When {@code s} already holds
     * the normalization of this very {@code String} instance, untouched since (the commitment ledger and the trigger
     * engine read the same AI turn one after the other on the bot's thread), it is kept as it is.
     */
    public static void normalize(CharSequence text, Scratch s) {
        if (text instanceof String && text == s.normalizedSource) {
            return;
        }
        s.normalizedSource = null;
        normalizeInto(text, s);
        if (text instanceof String str) {
            s.normalizedSource = str;
        }
    }

    private static void normalizeInto(CharSequence text, Scratch s) {
        int source = text.length();
        s.sourceLength = source;
        s.ensureInput(source + 16);
        char[] in = s.in;
        if (text instanceof String str) {
            str.getChars(0, source, in, 0);
        } else {
            for (int k = 0; k < source; k++) {
                in[k] = text.charAt(k);
            }
        }
        // the text is taken for ASCII until a character says otherwise: then it is folded and read again from the start
        int n = source;
        s.folded = false;
        s.verbatim = true;
        s.ensureText(3 * n + 16);
        char[] out = s.out;
        int[] from = s.from;
        int[] to = s.to;
        int len = 0;
        out[len] = ' ';
        from[len] = 0;
        to[len] = 0;
        len++;
        int wordStart = -1;   // output index where the current word starts
        int srcWordStart = 0;
        int apostropheAt = -1; // output index where an in-word apostrophe was dropped
        int i = 0;
        while (i < n) {
            char c = in[i];
            if (c < 128) {
                byte cls = ASCII[c];
                if (cls == A_WORD) {
                    if (wordStart < 0) {
                        wordStart = len;
                        srcWordStart = i;
                        apostropheAt = -1;
                    }
                    // the rest of the ASCII word in a tight loop: one unpredictable exit per word
                    do {
                        out[len] = LOWER[c];
                        from[len] = i;
                        to[len] = i + 1;
                        len++;
                        i++;
                    } while (i < n && (c = in[i]) < 128 && ASCII[c] == A_WORD);
                    if (c == ' ' && i + 1 < n && in[i + 1] < 128 && ASCII[in[i + 1]] == A_WORD) {
                        // the common case, one space and the next word, in a straight line
                        if (mayExpand(out, wordStart, len, apostropheAt)) {
                            len = endWord(s, wordStart, srcWordStart, apostropheAt, len);
                        }
                        out[len] = ' ';
                        from[len] = i;
                        to[len] = i;
                        len++;
                        i++;
                        wordStart = len;
                        srcWordStart = i;
                        apostropheAt = -1;
                    }
                    continue;
                }
                if (cls == A_SPACE) {
                    if (wordStart >= 0) {
                        if (mayExpand(out, wordStart, len, apostropheAt)) {
                            len = endWord(s, wordStart, srcWordStart, apostropheAt, len);
                        }
                        wordStart = -1;
                    } else if (out[len - 1] == ' ') {
                        i++;
                        continue;
                    }
                    out[len] = ' ';
                    from[len] = i;
                    to[len] = i;
                    len++;
                    i++;
                    continue;
                }
            } else if (!s.folded) {
                // the first character over 127: fold the whole text (compatibility forms, accents) and start again
                n = fold(s, source);
                in = s.in;
                s.folded = true;
                s.verbatim = false;
                s.ensureText(3 * n + 16);
                out = s.out;
                from = s.from;
                to = s.to;
                len = 1;
                wordStart = -1;
                srcWordStart = 0;
                apostropheAt = -1;
                i = 0;
                continue;
            }
            int cp = c;
            int width = 1;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(in[i + 1])) {
                cp = Character.toCodePoint(c, in[i + 1]);
                width = 2;
            }
            if (isWordChar(cp)) {
                if (wordStart < 0) {
                    wordStart = len;
                    srcWordStart = i;
                    apostropheAt = -1;
                }
                int lower = c < 128 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : Character.toLowerCase(cp);
                if (lower < 0x10000) {
                    out[len] = (char) lower;
                    from[len] = i;
                    to[len] = i + width;
                    len++;
                } else {
                    out[len] = Character.highSurrogate(lower);
                    from[len] = i;
                    to[len] = i + width;
                    len++;
                    out[len] = Character.lowSurrogate(lower);
                    from[len] = i;
                    to[len] = i + width;
                    len++;
                }
                i += width;
                continue;
            }
            if (isApostrophe(c)) {
                s.verbatim = false;
            }
            int type = Character.getType(cp);
            if (wordStart >= 0 && (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK)) {
                to[len - 1] = i + width; // a combining accent belongs to the letter before it
                i += width;
                continue;
            }
            if (wordStart >= 0 && isApostrophe(c) && apostropheAt < 0 && i + 1 < n && isLetterAt(in, i + 1)) {
                if (isElision(out, wordStart, len)) {
                    // French elision: "l'agent" is two words, "qu'il" too
                    out[len] = ' ';
                    from[len] = i;
                    to[len] = i;
                    len++;
                    i++;
                    wordStart = len;
                    srcWordStart = i;
                    apostropheAt = -1;
                    continue;
                }
                apostropheAt = len;
                i++;
                continue;
            }
            if (wordStart >= 0 && isDigit(out[len - 1]) && i + 1 < n && isDigit(in[i + 1])) {
                if (c == '.') {
                    out[len] = '.';
                    from[len] = i;
                    to[len] = i + 1;
                    len++;
                    i++;
                    continue;
                }
                if (c == ',' && i + 3 < n && isDigit(in[i + 2]) && isDigit(in[i + 3])
                        && (i + 4 >= n || !isDigit(in[i + 4]))) {
                    i++;
                    continue;
                }
            }
            if (wordStart >= 0) {
                len = endWord(s, wordStart, srcWordStart, apostropheAt, len);
                out = s.out;
                from = s.from;
                to = s.to;
                wordStart = -1;
            }
            if (isBoundary(c)) {
                if (out[len - 1] != ' ') {
                    out[len] = ' ';
                    from[len] = i;
                    to[len] = i;
                    len++;
                }
                if (!(len >= 2 && out[len - 2] == '|')) {
                    out[len] = '|';
                    from[len] = i;
                    to[len] = i + 1;
                    len++;
                    out[len] = ' ';
                    from[len] = i + 1;
                    to[len] = i + 1;
                    len++;
                }
            } else if (c == '$' || c == '€' || c == '£' || c == '¥' || c == '%') {
                if (out[len - 1] != ' ') {
                    out[len] = ' ';
                    from[len] = i;
                    to[len] = i;
                    len++;
                }
                out[len] = c;
                from[len] = i;
                to[len] = i + 1;
                len++;
                out[len] = ' ';
                from[len] = i + 1;
                to[len] = i + 1;
                len++;
            } else if (out[len - 1] != ' ') {
                out[len] = ' ';
                from[len] = i;
                to[len] = i;
                len++;
            }
            i += width;
        }
        if (wordStart >= 0) {
            len = endWord(s, wordStart, srcWordStart, apostropheAt, len);
            out = s.out;
            from = s.from;
            to = s.to;
        }
        if (out[len - 1] != ' ') {
            out[len] = ' ';
            from[len] = n;
            to[len] = n;
            len++;
        }
        s.len = len;
        if (s.folded) {
            unfold(s, n, source);
        }
    }

    /** Maps offsets into the folded input back to offsets into the original text. */
    private static void unfold(Scratch s, int n, int source) {
        int[] inFrom = s.inFrom;
        int[] inTo = s.inTo;
        for (int k = 0; k < s.len; k++) {
            int a = s.from[k];
            int b = s.to[k];
            int start = a < n ? inFrom[a] : source;
            s.from[k] = start;
            s.to[k] = b > a ? inTo[Math.min(b, n) - 1] : start;
        }
    }

    /**
     * Replaces {@code s.in[0, source)} by its folded form, with the original span of every folded character in
     * {@code s.inFrom}/{@code s.inTo}; returns the folded length.
     */
    private static int fold(Scratch s, int source) {
        char[] original = java.util.Arrays.copyOf(s.in, source);
        s.ensureInput(3 * source + 16);
        char[] in = s.in;
        int[] inFrom = s.inFrom;
        int[] inTo = s.inTo;
        int m = 0;
        int i = 0;
        while (i < source) {
            char c = original[i];
            if (c < 128) {
                in[m] = c;
                inFrom[m] = i;
                inTo[m] = i + 1;
                m++;
                i++;
                continue;
            }
            int width = 1;
            String f;
            if (Character.isHighSurrogate(c) && i + 1 < source && Character.isLowSurrogate(original[i + 1])) {
                width = 2;
                f = foldString(new String(original, i, 2));
            } else {
                f = foldChar(c);
            }
            if (f.isEmpty()) {
                if (m > 0 && inTo[m - 1] == i) {
                    inTo[m - 1] = i + width; // a combining mark belongs to the character before it
                }
            } else {
                if (m + f.length() > in.length) {
                    s.ensureInput(2 * (m + f.length()));
                    char[] grown = s.in;
                    System.arraycopy(in, 0, grown, 0, m);
                    int[] gf = s.inFrom;
                    int[] gt = s.inTo;
                    System.arraycopy(inFrom, 0, gf, 0, m);
                    System.arraycopy(inTo, 0, gt, 0, m);
                    in = grown;
                    inFrom = gf;
                    inTo = gt;
                }
                for (int k = 0; k < f.length(); k++) {
                    in[m] = f.charAt(k);
                    inFrom[m] = i;
                    inTo[m] = i + width;
                    m++;
                }
            }
            i += width;
        }
        return m;
    }

    /** Folded forms of BMP characters, computed on first use (pages of 256; benign races: Strings are immutable). */
    private static final String[][] FOLD_PAGES = new String[256][];

    /** The folded form of one non-ASCII BMP character (empty for a combining mark). */
    static String foldChar(char c) {
        String[] page = FOLD_PAGES[c >>> 8];
        if (page == null) {
            page = new String[256];
            FOLD_PAGES[c >>> 8] = page;
        }
        String f = page[c & 0xFF];
        if (f == null) {
            f = foldString(String.valueOf(c));
            page[c & 0xFF] = f;
        }
        return f;
    }

    private static String foldString(String c) {
        if (c.length() == 1 && isApostrophe(c.charAt(0))) {
            return "'";
        }
        switch (c) {
            case "\u00DF": return "ss";
            case "\u00E6": return "ae";
            case "\u00C6": return "AE";
            case "\u0153": return "oe";
            case "\u0152": return "OE";
            case "\u00F8": return "o";
            case "\u00D8": return "O";
            case "\u0111": return "d";
            case "\u0110": return "D";
            case "\u0142": return "l";
            case "\u0141": return "L";
            case "\u0131": return "i";
            default: break;
        }
        String d = java.text.Normalizer.normalize(c, Form.NFKD);
        StringBuilder b = new StringBuilder(d.length());
        for (int k = 0; k < d.length(); k++) {
            char x = d.charAt(k);
            int type = Character.getType(x);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK) {
                continue;
            }
            b.append(x);
        }
        return b.toString();
    }

    /** A French elided article, pronoun or conjunction before an apostrophe ({@code l'}, {@code qu'}, {@code jusqu'}). */
    private static boolean isElision(char[] out, int start, int end) {
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
    private static boolean mayExpand(char[] out, int wordStart, int len, int apostropheAt) {
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
    private static int endWord(Scratch s, int wordStart, int srcWordStart, int apostropheAt, int len) {
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

    /** True for letters and digits. */
    public static boolean isWordChar(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        return Character.isLetterOrDigit(cp);
    }

    private static boolean isLetterAt(char[] text, int i) {
        char c = text[i];
        return c < 128 ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') : Character.isLetter(c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** True for the apostrophes folded to {@code '}. */
    public static boolean isApostrophe(char c) {
        return c == '\'' || c == '\u2019' || c == '\u2018' || c == '\u02BC' || c == '`' || c == '\u00B4'
                || c == '\u2032' || c == '\uFF07';
    }

    private static boolean isBoundary(char c) {
        switch (c) {
            case '.': case ',': case ';': case ':': case '!': case '?': case '(': case ')': case '[': case ']':
            case '"': case '\u201C': case '\u201D': case '\u2026': case '\u00BF': case '\u00A1': case '\n': case '\r':
            case '\u2028': case '\u2029': case '\u00AB': case '\u00BB': case '\u3002': case '\uFF01': case '\uFF1F':
            case '\uFF0C':
                return true;
            default:
                return false;
        }
    }

    /** Normalizes a string (allocates; for phrases at compile time and for tests). */
    public static String normalize(CharSequence text) {
        Scratch s = new Scratch();
        normalize(text, s);
        return s.normalized();
    }
}
