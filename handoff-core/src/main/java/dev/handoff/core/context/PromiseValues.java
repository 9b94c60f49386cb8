package dev.handoff.core.context;

import static dev.handoff.core.context.PromiseCues.BE;
import static dev.handoff.core.context.PromiseCues.DET;
import static dev.handoff.core.context.PromiseCues.FIRST;
import static dev.handoff.core.context.PromiseCues.MODAL;
import static dev.handoff.core.context.PromiseCues.PREP;
import static dev.handoff.core.context.PromiseCues.PRONOUN;
import static dev.handoff.core.context.PromiseCues.YOU;

import dev.handoff.api.Commitment.Kind;
import dev.handoff.core.text.Currencies;
import dev.handoff.core.text.Dates;
import dev.handoff.core.text.Money;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The value of a promise the {@link PromiseReader} has found, read from the tokens of its clause or sentence and
 * normalised: a percentage or an amount for a discount ({@code "15%"}, {@code "$50"}, "half" as {@code "50%"}), an
 * amount for a refund or a credit, a time resolved by {@link Dates} against the turn's local time for a callback,
 * follow-up, appointment or delivery ("right away" as the turn's date), the fee's name for a waiver
 * ({@code "late payment fee"}), a duration for a free trial ({@code "14 days"}), the thing for a free add-on, who an
 * escalation goes to, and what the other promises are ({@code "replacement"}, {@code "repair"} ...). Some kinds
 * need a value to be promises at all: then {@link #REJECT} says the cue is not one ("off" alone, a delivery with no
 * date). One per read turn; not thread-safe on its own: it uses the calling thread's scratch.
 */
final class PromiseValues extends PromiseTokens {

    /** The value that vetoes the promise; compared by identity, so never equal to a value read from the text. */
    static final String REJECT = new String("reject");

    private final Instant at;
    private final ZoneId zone;
    private LocalDateTime now;

    PromiseValues(Scratch s, String text, Instant at, ZoneId zone) {
        super(s, text);
        this.at = at;
        this.zone = zone;
    }

    /** The turn's local time in the business's zone, computed once and only when a promise names a time. */
    private LocalDateTime now() {
        if (now == null) {
            now = zone instanceof ZoneOffset offset ? LocalDateTime.ofEpochSecond(at.getEpochSecond(), at.getNano(), offset)
                    : LocalDateTime.ofInstant(at, zone);
        }
        return now;
    }

    /**
     * The value of a promise of {@code kind} cued by tokens [cueFirst, cueLast] in the clause [from, to) of the
     * sentence [sentFrom, sentTo); {@code offer} when it is only offered ("I can ..."). Null when the promise has
     * none, {@link #REJECT} when it is not a promise without one.
     */
    String value(Kind kind, int cueFirst, int cueLast, int from, int to, int sentFrom, int sentTo, boolean offer) {
        switch (kind) {
            case DISCOUNT: {
                String v = percent(from, to);
                if (v == null) {
                    v = money(from, to);
                }
                if (v == null && is(cueFirst, "off")) {
                    v = bare(from, to, true); // "I can take 20 off as a goodwill gesture"
                }
                if (v == null && is(cueFirst, "half")) {
                    v = "50%";
                }
                return v == null && is(cueFirst, "off") && cueFirst == cueLast ? REJECT : v;
            }
            case REFUND:
            case CREDIT: {
                String v = money(from, to);
                v = v != null ? v : money(sentFrom, sentTo);
                return v != null ? v : bare(from, to, false); // "a full refund of 89.99"
            }
            case CALLBACK:
            case FOLLOW_UP:
            case APPOINTMENT:
            case DELIVERY_DATE: {
                String v = when(from, to);
                if (v == null && (has(from, to, "now") || has(from, to, "immediately") || has(from, to, "away"))) {
                    v = now().toLocalDate().toString(); // "I'll email you the confirmation right away"
                }
                if (v == null) {
                    v = when(sentFrom, sentTo);
                }
                if (v == null && (has(to, sentTo, "now") || has(to, sentTo, "immediately")) && !has(to, sentTo, "but")
                        && !has(to, sentTo, FIRST | YOU)) {
                    v = now().toLocalDate().toString(); // "I'll email you the sign-up link and the form now"
                }
                boolean needsTime = kind == Kind.DELIVERY_DATE || offer && (is(cueFirst, "see") || is(cueFirst, "be")
                        || is(cueFirst, "collect") || is(cueFirst, "speak") || is(cueFirst, "talk"));
                return v == null && needsTime ? REJECT : v;
            }
            case FEE_WAIVER:
                return feeName(cueLast, to);
            case FREE_TRIAL:
                return duration(from, to);
            case FREE_ADD_ON:
                return thing(cueFirst, cueLast, from, to);
            case ESCALATION:
                return target(cueLast, to);
            default:
                return other(cueFirst, cueLast, to);
        }
    }

    private String words(int from, int to) {
        int a = s.sourceStart(from);
        int b = s.sourceEnd(to - 1);
        return text.substring(a, Math.max(a, Math.min(b, text.length()))).strip().toLowerCase(java.util.Locale.ROOT);
    }

    private String percent(int from, int to) {
        for (int t = from; t + 1 < to; t++) {
            if (s.tokIs(t + 1, '%') && Character.isDigit(s.out[s.tokStart[t]])) {
                String n = new String(s.out, s.tokStart[t], s.tokEnd[t] - s.tokStart[t]);
                return (n.endsWith(".0") ? n.substring(0, n.length() - 2) : n) + "%";
            }
        }
        return null;
    }

    private String money(int from, int to) {
        for (int k = 0; k < s.amountCount; k++) {
            int cur = s.amountCurrency[k];
            if (cur >= 0 && s.amountFirst[k] >= from && s.amountFirst[k] < to && (s.amountFlags[k] & Money.PERCENT) == 0) {
                BigDecimal d = BigDecimal.valueOf(s.amountValue[k]).stripTrailingZeros();
                String n = plain(d);
                return Currencies.symbol(cur) + n;
            }
        }
        return null;
    }

    /**
     * A number without a currency that is still money: right before "off" ({@code beforeOff}: "take 20 off"), or after
     * "of" or with cents ("a refund of 89.99").
     */
    private String bare(int from, int to, boolean beforeOff) {
        for (int k = 0; k < s.amountCount; k++) {
            if (s.amountCurrency[k] >= 0 || (s.amountFlags[k] & Money.PERCENT) != 0 || s.amountFirst[k] < from || s.amountFirst[k] >= to) {
                continue;
            }
            BigDecimal d = BigDecimal.valueOf(s.amountValue[k]).stripTrailingZeros();
            boolean money = beforeOff ? is(s.amountLast[k] + 1, "off")
                    : is(s.amountFirst[k] - 1, "of") || d.scale() > 0 || is(s.amountLast[k] + 1, "credit") || is(s.amountLast[k] + 1, "refund");
            if (money && d.signum() > 0) {
                return plain(d);
            }
        }
        return null;
    }

    /** "20", "89.99", "15.50": whole amounts without decimals, others with cents. */
    private static String plain(BigDecimal d) {
        return (d.scale() <= 0 ? d.setScale(0) : d.setScale(2, RoundingMode.HALF_UP)).toPlainString();
    }

    private String when(int from, int to) {
        if (from >= to) {
            return null;
        }
        int a = s.sourceStart(from);
        int b = Math.min(text.length(), s.sourceEnd(to - 1));
        return Dates.when(text, a, b, now());
    }

    /** "the $25 late payment fee" gives "late payment fee". */
    private String feeName(int cueLast, int to) {
        for (int t = cueLast + 1; t < to; t++) {
            if (is(t, "fee") || is(t, "fees") || is(t, "charge") || is(t, "penalty")) {
                int a = t;
                while (a - 1 > cueLast && a > t - 3 && !s.isBoundary(a - 1) && Character.isLetter(s.out[s.tokStart[a - 1]])
                        && (cls(a - 1) & DET) == 0) {
                    a--;
                }
                return a == t ? null : words(a, t + 1).replace('\u2019', '\'');
            }
        }
        return null;
    }

    /** "14 days", "30 days", "2 months". */
    private String duration(int from, int to) {
        for (int t = from; t + 1 < to; t++) {
            int n = -1;
            char c0 = s.out[s.tokStart[t]];
            if (Character.isDigit(c0)) {
                n = 0;
                for (int i = s.tokStart[t]; i < s.tokEnd[t] && n >= 0; i++) {
                    char c = s.out[i];
                    n = Character.isDigit(c) ? n * 10 + (c - '0') : -1;
                }
            } else if ((s.tokFlags[t] & Words.NUMBER) != 0) {
                n = s.tokValue[t];
            }
            if (n > 0) {
                String unit = is(t + 1, "day") || is(t + 1, "days") ? "day" : is(t + 1, "week") || is(t + 1, "weeks") ? "week"
                        : is(t + 1, "month") || is(t + 1, "months") ? "month" : null;
                if (unit != null) {
                    return n + " " + unit + (n == 1 ? "" : "s");
                }
            }
        }
        return null;
    }

    /** What comes for free: the words after "free", or before "at no cost". */
    private String thing(int cueFirst, int cueLast, int from, int to) {
        if (is(cueFirst, "free") && cueFirst == cueLast) {
            int a = cueLast + 1;
            int b = a;
            while (b < to && b < a + 3 && !s.isBoundary(b) && (cls(b) & (PREP | DET | MODAL | BE)) == 0) {
                b++;
            }
            if (b > a) {
                return words(a, b);
            }
        }
        int b = cueFirst;
        while (b - 1 >= from && ((cls(b - 1) & (MODAL | BE)) != 0 || is(b - 1, "free") || is(b - 1, "it"))) {
            b--;
        }
        int a = b;
        while (a - 1 >= from && a > b - 3 && !s.isBoundary(a - 1) && (cls(a - 1) & (PREP | DET | MODAL | BE | FIRST | YOU)) == 0
                && !is(a - 1, "include") && !is(a - 1, "included") && !is(a - 1, "added")) {
            a--;
        }
        return a < b ? words(a, b) : null;
    }

    /** Who it goes to: "to the sales manager", "for our disputes team". */
    private String target(int cueLast, int to) {
        int t = cueLast + 1;
        while (t < to && !is(t, "to") && !is(t, "with") && !is(t, "for")) {
            t++;
        }
        if (is(cueLast, "to") || is(cueLast, "with")) {
            t = cueLast;
        }
        if (t >= to) {
            return null;
        }
        int a = t + 1;
        while (a < to && (cls(a) & DET) != 0) {
            a++;
        }
        int b = a;
        while (b < to && b < a + 4 && !s.isBoundary(b) && (cls(b) & (PromiseCues.ADVERB | PREP | PRONOUN)) == 0 && !is(b, "now")
                && !is(b, "and") && !is(b, "who")) {
            b++;
        }
        return b > a ? words(a, b) : null;
    }

    private String other(int cueFirst, int cueLast, int to) {
        if (is(cueLast, "replacement") || is(cueFirst, "replace")) {
            return "replacement";
        }
        if (is(cueFirst, "repaired") || is(cueFirst, "repair")) {
            return "repair";
        }
        if (is(cueFirst, "reconnection") || is(cueFirst, "reconnect")) {
            return "reconnection";
        }
        if (is(cueFirst, "void")) {
            return "void";
        }
        if (is(cueFirst, "on") && is(cueLast, "hold")) {
            return "on hold";
        }
        if (is(cueFirst, "from") || is(cueFirst, "any") || is(cueFirst, "anymore")) {
            int a = cueFirst;
            while (a - 1 >= 0 && !clauseBreak(a - 1) && a > cueFirst - 8) {
                a--;
            }
            return a < cueFirst ? words(a, cueFirst) : null;
        }
        if (is(cueFirst, "make")) {
            int a = cueLast + 1;
            while (a < to && ((cls(a) & (YOU | PRONOUN)) != 0 || is(a, "that") || is(a, "see") || is(a, "get"))) {
                a++;
            }
            return a < to ? words(a, Math.min(to, a + 3)) : null;
        }
        return words(cueFirst, cueLast + 1);
    }
}
