package dev.handoff.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one reader of amounts in customer and bot text. It works on the tokens of a normalized text
 * ({@link Normalizer}, {@link Words#tokenize}), so it reads what the trigger engine reads:
 * {@code $75,000}, {@code 75k}, {@code EUR 40k}, {@code £45k}, {@code $1.5M}, {@code seventy five thousand dollars},
 * {@code two hundred and fifty thousand}, {@code a hundred grand}, {@code 1.2 million}.
 *
 * <p>A number is <em>money</em> only with a currency next to it ({@code $}, {@code euros}), a money scale
 * ({@code grand}) or a money word near it ({@code budget}, {@code deal}, {@code price}, {@code contract}, within
 * five words before or two after); never when a counted thing follows it ({@code 60k miles}, {@code 2m followers},
 * {@code 50k users}) or a percent sign. Each amount also says whether it sits in a loss or complaint clause
 * ({@code I lost $60,000}, {@code you charged me $500}), so a reader can tell a deal from a grievance.
 *
 * <p>{@link #scan(Scratch)} allocates nothing; {@link #find(CharSequence)} is the convenience form for the
 * observer and the commitment detector.
 */
public final class Money {

    /** A currency word or symbol is next to the number. */
    public static final int CURRENCY = 1;
    /** A money scale ({@code grand}) or a letter scale ({@code 75k}). */
    public static final int SCALED = 1 << 1;
    /** A money word is near the number. */
    public static final int MONEY_WORD = 1 << 2;
    /** A counted thing follows the number ({@code users}, {@code miles}): not money. */
    public static final int UNIT = 1 << 3;
    /** The number is a percentage. */
    public static final int PERCENT = 1 << 4;
    /** A loss or complaint word is in the same clause ({@code lost}, {@code charged}, {@code refund}). */
    public static final int LOSS = 1 << 5;
    /** A money scale ({@code grand}). */
    public static final int MONEY_SCALE = 1 << 6;

    private Money() {
    }

    /**
     * One amount of money in a text.
     *
     * @param value    the amount in {@code currency} (or in no stated currency)
     * @param currency nullable; the ISO code when the text names the currency
     * @param start    offset of the amount's first character in the original text
     * @param end      offset after its last character
     * @param text     the original characters
     * @param loss     true when the amount sits in a loss or complaint clause
     */
    public record Amount(double value, String currency, int start, int end, String text, boolean loss) {
        public Amount {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The money amounts of a text, in order (allocates; not for per-turn hot paths). */
    public static List<Amount> find(CharSequence text) {
        return read(text, true);
    }

    /**
     * Every number that could be a sum of money, in order: the money amounts of {@link #find} and the bare numbers
     * around them ({@code "budget's around 600 a month"}, {@code "keep fees under 1,500"}), but not counted things
     * ({@code 40 trucks}) or percentages; a bare number's currency is null. For readers that know from the sentence
     * that money is meant (the observer's budget), not for deciding it.
     */
    public static List<Amount> numbers(CharSequence text) {
        return read(text, false);
    }

    private static List<Amount> read(CharSequence text, boolean moneyOnly) {
        if (text == null || text.length() == 0) {
            return List.of();
        }
        Scratch s = Scratch.forLength(text.length()); // the thread's buffers: callers hold no reading of their own
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        scan(s);
        List<Amount> out = new ArrayList<>(s.amountCount);
        String original = text.toString();
        for (int k = 0; k < s.amountCount; k++) {
            if (moneyOnly ? !isMoney(s, k) : (s.amountFlags[k] & (UNIT | PERCENT)) != 0) {
                continue;
            }
            int start = s.sourceStart(s.amountFirst[k]);
            int end = Math.min(original.length(), Math.max(start, s.sourceEnd(s.amountLast[k])));
            int cur = s.amountCurrency[k];
            out.add(new Amount(s.amountValue[k], cur < 0 ? null : Currencies.code(cur), start, end,
                    original.substring(start, end), (s.amountFlags[k] & LOSS) != 0));
        }
        return out;
    }

    /** True when amount {@code k} of {@code s} is money (see the class comment). */
    public static boolean isMoney(Scratch s, int k) {
        int f = s.amountFlags[k];
        return (f & (UNIT | PERCENT)) == 0 && (f & (CURRENCY | MONEY_SCALE | MONEY_WORD)) != 0;
    }

    /** Finds every number expression in the tokens of {@code s} and records it in {@code s.amount*}. */
    public static void scan(Scratch s) {
        s.amountCount = 0;
        if (!s.digitSeen && (s.flagsSeen & (Words.NUMBER | Words.HUNDRED | Words.SCALE)) == 0) {
            return;   // an amount starts at a digit, a number word or "a" before "hundred" or a scale: none here
        }
        int n = s.tokCount;
        char[] out = s.out;
        int t = 0;
        while (t < n) {
            int flags = s.tokFlags[t];
            char c0 = out[s.tokStart[t]];
            double value;
            int end;
            int amountFlags = 0;
            if (c0 >= '0' && c0 <= '9') {
                int p = s.tokStart[t];
                int e = s.tokEnd[t];
                value = 0;
                double scale = 0;
                while (p < e && (out[p] >= '0' && out[p] <= '9' || out[p] == '.')) {
                    if (out[p] == '.') {
                        if (scale != 0) {
                            break;
                        }
                        scale = 1;
                    } else if (scale == 0) {
                        value = value * 10 + (out[p] - '0');
                    } else {
                        scale /= 10;
                        value += (out[p] - '0') * scale;
                    }
                    p++;
                }
                if (p < e) {
                    int slot = Words.LEXICON.find(Lexicon.hash(out, p, e));
                    if ((Words.LEXICON.flagsAt(slot) & Words.LETTER_SCALE) == 0) {
                        t++;
                        continue; // "2nd", "4g", "10am"
                    }
                    value *= pow10(Words.LEXICON.valueAt(slot));
                    amountFlags |= SCALED;
                }
                end = t + 1;
                if (end < n && (s.tokFlags[end] & Words.SCALE) != 0) {
                    value *= pow10(s.tokValue[end]);
                    amountFlags |= SCALED;
                    if ((s.tokFlags[end] & Words.MONEY_SCALE) != 0) {
                        amountFlags |= MONEY_SCALE;
                    }
                    end++;
                }
            } else if ((flags & (Words.NUMBER | Words.HUNDRED)) != 0
                    || ((flags & Words.ARTICLE) != 0 && t + 1 < n && (s.tokFlags[t + 1] & (Words.HUNDRED | Words.SCALE)) != 0
                    && (s.tokFlags[t + 1] & Words.LETTER_SCALE) == 0)) {
                double total = 0;
                double current = 0;
                double fraction = 0;
                int u = t;
                while (u < n) {
                    int f = s.tokFlags[u];
                    if ((f & Words.NUMBER) != 0) {
                        if (fraction > 0) {
                            current += s.tokValue[u] * fraction;
                            fraction /= 10;
                        } else {
                            current += s.tokValue[u];
                        }
                    } else if ((f & Words.ARTICLE) != 0 && u == t) {
                        current = 1;
                    } else if ((f & Words.HUNDRED) != 0) {
                        current = (current == 0 ? 1 : current) * 100;
                    } else if ((f & Words.SCALE) != 0 && (f & Words.LETTER_SCALE) == 0) {
                        total += (current == 0 ? 1 : current) * pow10(s.tokValue[u]);
                        current = 0;
                        amountFlags |= SCALED;
                        if ((f & Words.MONEY_SCALE) != 0) {
                            amountFlags |= MONEY_SCALE;
                        }
                        fraction = 0;
                    } else if ((f & Words.POINT) != 0 && u + 1 < n && (s.tokFlags[u + 1] & Words.NUMBER) != 0) {
                        fraction = 0.1;
                    } else if ((f & Words.AND) != 0 && u > t && u + 1 < n && (s.tokFlags[u + 1] & Words.NUMBER) != 0) {
                        // "two hundred and fifty"
                    } else {
                        break;
                    }
                    u++;
                }
                value = total + current;
                end = u;
                if (end == t || (end == t + 1 && (flags & Words.ARTICLE) != 0)) {
                    t++;
                    continue;
                }
            } else {
                t++;
                continue;
            }
            int first = t;
            int currency = -1;
            if (t > 0 && (s.tokFlags[t - 1] & Words.CURRENCY) != 0) {
                currency = s.tokValue[t - 1];
                first = t - 1;
            } else if (end < n && (s.tokFlags[end] & Words.CURRENCY) != 0) {
                currency = s.tokValue[end];
                end++;
            }
            if (currency >= 0) {
                amountFlags |= CURRENCY;
            }
            if (end < n && s.tokIs(end, '%')) {
                amountFlags |= PERCENT;
            }
            if (end < n && (s.tokFlags[end] & Words.UNIT) != 0 && currency < 0) {
                amountFlags |= UNIT;
            }
            if (near(s, first - 5, first, Words.MONEY_CONTEXT) || near(s, end, end + 2, Words.MONEY_CONTEXT)) {
                amountFlags |= MONEY_WORD;
            }
            if (inClause(s, first, end, Words.LOSS)) {
                amountFlags |= LOSS;
            }
            s.addAmount(value, currency, first, end - 1, amountFlags);
            t = end;
        }
    }

    /** True when a token in {@code [from, to)} (not crossing a clause mark) has {@code flag}. */
    private static boolean near(Scratch s, int from, int to, int flag) {
        int a = Math.max(0, from);
        int b = Math.min(s.tokCount, to);
        for (int j = a; j < b; j++) {
            if ((s.tokFlags[j] & flag) != 0) {
                return true;
            }
        }
        return false;
    }

    /** True when the clause around tokens {@code [first, end)} holds a token with {@code flag}. */
    private static boolean inClause(Scratch s, int first, int end, int flag) {
        for (int j = first - 1; j >= 0 && !s.isBoundary(j); j--) {
            if ((s.tokFlags[j] & flag) != 0) {
                return true;
            }
        }
        for (int j = end; j < s.tokCount && !s.isBoundary(j); j++) {
            if ((s.tokFlags[j] & flag) != 0) {
                return true;
            }
        }
        return false;
    }

    static double pow10(int exponent) {
        switch (exponent) {
            case 3: return 1e3;
            case 6: return 1e6;
            case 9: return 1e9;
            default: return Math.pow(10, exponent);
        }
    }
}
