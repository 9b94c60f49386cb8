package dev.handoff.core.trigger;

import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;

/**
 * Whether a phrase is denied by a negation in its own clause. The scope of a negation runs from the negation to the
 * end of its clause, not over a fixed number of words ("I don't think I need to talk to anyone", "I never asked for
 * a human" are negated), and it stops at:
 * <ul>
 *   <li>a clause mark (punctuation) or a word that starts a new clause ({@code but}, {@code so}, {@code just},
 *       {@code please}, {@code and}): "I don't want the bot, just get me a human" is a request;</li>
 *   <li>a new subject pronoun, unless the negation sits on a verb like {@code think} that carries its clause's
 *       negation: "I don't want the bot I want a human" is a request, "I don't think I need one" is not.</li>
 * </ul>
 * Some negations are not refusals: inability after a modal ("I can't get anyone, let me talk to a person", "why
 * can't I talk to a person?"), a negation after {@code why} (a complaint), and {@code no} used as an interjection
 * on voice ("no no just get me a person", "no I want a human"). {@code no} denies only what follows it directly
 * ("no human", "no need to transfer me").
 */
final class Negation {

    private Negation() {
    }

    /**
     * True when the phrase starting at token {@code phraseTok} is negated within its clause.
     *
     * @param noNegates true for languages where "no" before a verb is the negation (Spanish: "no quiero")
     */
    static boolean negated(Scratch s, int phraseTok, boolean noNegates) {
        boolean pronounBetween = false;
        for (int j = phraseTok - 1; j >= 0; j--) {
            if (s.isBoundary(j)) {
                return false;
            }
            int f = s.tokFlags[j];
            if ((f & Words.NO) != 0) {
                if (noNegates || deniesWhatFollows(s, j, phraseTok)) {
                    return !whyBefore(s, j);
                }
                continue; // an interjection
            }
            if ((f & Words.NEG) != 0) {
                if (j > 0 && (s.tokFlags[j - 1] & Words.MODAL) != 0) {
                    continue; // "can not", "could not": inability, a complaint
                }
                if (pronounBetween && !(j + 1 < s.tokCount && (s.tokFlags[j + 1] & Words.NEG_RAISING) != 0)) {
                    return false;
                }
                return !whyBefore(s, j);
            }
            if ((f & Words.BREAK) != 0) {
                return false;
            }
            if ((f & Words.PRONOUN) != 0) {
                pronounBetween = true;
            }
        }
        return false;
    }

    /** "no" denies the phrase when the phrase (or a determiner and the phrase) follows it, or "need" does. */
    private static boolean deniesWhatFollows(Scratch s, int no, int phraseTok) {
        int next = no + 1;
        if (next == phraseTok) {
            return true;
        }
        if (next < s.tokCount && (s.tokFlags[next] & Words.DETERMINER) != 0 && next + 1 == phraseTok) {
            return true;
        }
        return next < s.tokCount && (s.tokenIs(next, "need") || s.tokenIs(next, "thanks") || s.tokenIs(next, "thank")
                || s.tokenIs(next, "more"));
    }

    /** True when "why" precedes the negation in its clause: "why can't I", "why won't you" are complaints. */
    private static boolean whyBefore(Scratch s, int neg) {
        for (int j = neg - 1; j >= 0 && !s.isBoundary(j); j--) {
            if ((s.tokFlags[j] & Words.WHY) != 0) {
                return true;
            }
        }
        return false;
    }
}
