package dev.handoff.core.text;

import java.text.Normalizer.Form;

/**
 * The character folding of the {@link Normalizer}: every non-ASCII character reads as its NFKD compatibility
 * decomposition without combining marks ({@code é}, {@code e}+U+0301 and {@code ＥＸＡＭＰＬＥ} all read as ASCII
 * letters; {@code ß} reads {@code ss}, {@code œ} {@code oe}; every apostrophe reads {@code '}), a combining mark
 * belonging to the character before it. {@link #fold} rewrites a scratch's input in place, keeping for every folded
 * character the span of original characters it came from, and {@link #unfold} maps normalized offsets back through
 * that span. The folded forms of BMP characters are cached on first use.
 */
final class Folding {

    /** Folded forms of BMP characters, computed on first use (pages of 256; benign races: Strings are immutable). */
    private static final String[][] FOLD_PAGES = new String[256][];

    private Folding() {
    }

    /**
     * Replaces {@code s.in[0, source)} by its folded form, with the original span of every folded character in
     * {@code s.inFrom}/{@code s.inTo}; returns the folded length.
     */
    static int fold(Scratch s, int source) {
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

    /** Maps offsets into the folded input back to offsets into the original text. */
    static void unfold(Scratch s, int n, int source) {
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
        if (c.length() == 1 && Normalizer.isApostrophe(c.charAt(0))) {
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
}
