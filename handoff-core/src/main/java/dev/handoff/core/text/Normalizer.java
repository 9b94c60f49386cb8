package dev.handoff.core.text;

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
 *
 * <p>This class is the single pass over the text; the folding tables are {@code Folding}'s and the contraction and
 * elision tables {@code Contractions}'s.
 */
public final class Normalizer {

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
    /** Lower-case of each ASCII word character (letter or digit), a space for every other ASCII character. */
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
                    // the rest of the ASCII word in a tight loop: one unpredictable exit per word, one table read a
                    // character (MAPPED is the lower case of a word character and a space for any other)
                    char m = LOWER[c];
                    do {
                        out[len] = m;
                        from[len] = i;
                        to[len] = i + 1;
                        len++;
                        i++;
                    } while (i < n && (c = in[i]) < 128 && (m = MAPPED[c]) != ' ');
                    if (c == ' ' && i + 1 < n && in[i + 1] < 128 && ASCII[in[i + 1]] == A_WORD) {
                        // the common case, one space and the next word, in a straight line
                        if (Contractions.mayExpand(out, wordStart, len, apostropheAt)) {
                            len = Contractions.endWord(s, wordStart, srcWordStart, apostropheAt, len);
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
                        if (Contractions.mayExpand(out, wordStart, len, apostropheAt)) {
                            len = Contractions.endWord(s, wordStart, srcWordStart, apostropheAt, len);
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
                n = Folding.fold(s, source);
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
                if (Contractions.isElision(out, wordStart, len)) {
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
                len = Contractions.endWord(s, wordStart, srcWordStart, apostropheAt, len);
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
            len = Contractions.endWord(s, wordStart, srcWordStart, apostropheAt, len);
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
            Folding.unfold(s, n, source);
        }
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
