package dev.handoff.core.trigger;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How numbers read in reasons: thousands separators, no "1 turns", never "0.65, under 0.65". */
final class Fmt {

    private Fmt() {
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** A number with thousands separators and at most two decimals ({@code 75,000}, {@code 0.63}, {@code 1,250.5}). */
    static String num(double v) {
        return num(v, 2);
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        // rounded half up, trailing zeros dropped, then thousands separators in the integer part (a DecimalFormat
        // per call cost a kilobyte and most of a firing turn's time)
        String plain = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        int sign = plain.startsWith("-") ? 1 : 0;
        int point = plain.indexOf('.');
        int intEnd = point < 0 ? plain.length() : point;
        int digits = intEnd - sign;
        if (digits <= 3) {
            return plain.equals("-0") ? "0" : plain;
        }
        StringBuilder b = new StringBuilder(plain.length() + digits / 3);
        b.append(plain, 0, sign);
        for (int i = sign; i < intEnd; i++) {
            if (i > sign && (intEnd - i) % 3 == 0) {
                b.append(',');
            }
            b.append(plain.charAt(i));
        }
        return b.append(plain, intEnd, plain.length()).toString();
    }

    /**
     * A value next to the threshold it was compared with, with enough decimals that the two never read the same
     * ({@code 0.649} against {@code 0.65} reads {@code 0.649}, not {@code 0.65}).
     */
    static String against(double value, double threshold) {
        for (int decimals = 2; decimals <= 6; decimals++) {
            String a = num(value, decimals);
            if (!a.equals(num(threshold, decimals)) || value == threshold) {
                return a;
            }
        }
        return Double.toString(value);
    }

    /** "1 turn", "2 turns". */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** At most {@code max} characters of {@code text}, cut at a word, with an ellipsis when cut. */
    static String quote(String text, int max) {
        String t = text.strip();
        if (t.length() <= max) {
            return t;
        }
        int cut = t.lastIndexOf(' ', max - 1);
        return t.substring(0, cut > max / 2 ? cut : max - 1).stripTrailing() + "…";
    }
}
