package dev.handoff.core.context;

import static dev.handoff.core.context.PromiseCues.BE;
import static dev.handoff.core.context.PromiseCues.DET;
import static dev.handoff.core.context.PromiseCues.FIRST;
import static dev.handoff.core.context.PromiseCues.HAVE;
import static dev.handoff.core.context.PromiseCues.LET;
import static dev.handoff.core.context.PromiseCues.MODAL;
import static dev.handoff.core.context.PromiseCues.PREP;
import static dev.handoff.core.context.PromiseCues.PRONOUN;
import static dev.handoff.core.context.PromiseCues.TITLE;
import static dev.handoff.core.context.PromiseCues.YOU;

import dev.handoff.api.Commitment;
import dev.handoff.api.Commitment.Kind;
import dev.handoff.api.Commitment.Strength;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the promises of one AI turn from its tokens (the thread's {@link Scratch}, already normalized and tokenized
 * by the caller, with the {@link PromiseCues} automaton's hits). For each cue of a kind of promise it looks at the
 * clause around it (a sentence, cut at ";", ":", "but", "though", and at ", and"/", who"/", I" ...):
 * <ol>
 *   <li>not a promise: the sentence is a question; the cue sits inside a known non-promise ("credit card", "free
 *       trial", "could you"); a negation precedes it in its clause, outside an "if" ("I can't offer a refund", but
 *       "I can't match that price, but I can take 8% off" promises the 8%); the clause has no one committing to the
 *       customer, as in a policy ("Refunds are processed within 5 days", "we offer 10% off for patients who ...");
 *       an offer with "can" followed by a question in the same turn ("I can book you Tuesday. Would that work?");</li>
 *   <li>a promise when someone commits: "I"/"we" with a modal, a perfect or a progressive ("I've waived",
 *       "we'll send", "I'm escalating", "let me"); "you" with a modal or a participle ("you'll get", "you're booked");
 *       a named or determined subject with a modal or a passive ("a specialist will call you", "your refund will be
 *       back", "an engineer is booked"); a sentence that starts with a participle ("Booked for Thursday at 3pm");
 *       "if you ..., we ..." (a conditional offer);</li>
 *   <li>SOFT when the clause hedges ("might", "could", "see if", "should", "typically") or sets a condition ("if",
 *       "once you ..."), else HARD.</li>
 * </ol>
 * One promise per kind per sentence, and per turn the most precise one of each kind. The token questions and the
 * sentence and clause bounds are {@link PromiseTokens}'s; the value of each promise ("15%", "$50", a time) is read by
 * {@link PromiseValues}. Not thread-safe on its own: it uses the calling thread's scratch.
 */
final class PromiseReader extends PromiseTokens {

    private static final Kind[] KINDS = Kind.values();

    private final PromiseValues values;
    private final int turnIndex;
    private List<Commitment> out;

    private PromiseReader(Scratch s, String text, Instant at, ZoneId zone, int turnIndex) {
        super(s, text);
        this.values = new PromiseValues(s, text, at, zone);
        this.turnIndex = turnIndex;
    }

    /** The promises in the scanned turn said at {@code at}; the scratch holds its tokens and hits. */
    static List<Commitment> read(Scratch s, String text, Instant at, ZoneId zone, int turnIndex) {
        PromiseReader r = new PromiseReader(s, text, at, zone, turnIndex);
        r.run();
        return r.out == null ? List.of() : r.out;
    }

    // ------------------------------------------------------------------ the reading

    private void run() {
        int hits = s.hitCount;
        for (int h = 0; h < hits; h++) {
            int role = PromiseCues.ROLE[s.hits[2 * h]];
            if (!PromiseCues.isKind(role)) {
                continue;
            }
            int phrase = s.hits[2 * h];
            int endNorm = s.hits[2 * h + 1];
            int startNorm = endNorm - PromiseCues.LENGTH[phrase] - 1;
            int first = s.tokenAt(startNorm);
            int last = Math.max(first, s.tokenAt(startNorm + PromiseCues.LENGTH[phrase]) - 1);
            if (first >= s.tokCount || masked(startNorm, endNorm)) {
                continue;
            }
            consider(KINDS[role], first, Math.min(last, s.tokCount - 1));
        }
    }

    /** True when a non-promise phrase overlaps the normalized span. */
    private boolean masked(int start, int end) {
        for (int h = 0; h < s.hitCount; h++) {
            if (PromiseCues.ROLE[s.hits[2 * h]] != PromiseCues.NOT_A_PROMISE) {
                continue;
            }
            int e = s.hits[2 * h + 1];
            int b = e - PromiseCues.LENGTH[s.hits[2 * h]] - 1;
            if (b < end && e > start) {
                return true;
            }
        }
        return false;
    }

    /** Markers of {@code role} in tokens [from, to), not masked. Returns the first token, or -1. */
    private int marker(int role, int from, int to) {
        for (int h = 0; h < s.hitCount; h++) {
            if (PromiseCues.ROLE[s.hits[2 * h]] != role) {
                continue;
            }
            int e = s.hits[2 * h + 1];
            int b = e - PromiseCues.LENGTH[s.hits[2 * h]] - 1;
            int t = s.tokenAt(b);
            if (t >= from && t < to && !masked(b, e)) {
                return t;
            }
        }
        return -1;
    }

    private void consider(Kind kind, int cueFirst, int cueLast) {
        int sentFrom = sentenceStart(cueFirst);
        int sentTo = sentenceEndAt(cueFirst);
        if (sentTo < s.tokCount && mark(sentTo) == '?') {
            return;
        }
        int from = clauseStart(cueFirst);
        int to = clauseEnd(cueLast);
        int condition = marker(PromiseCues.CONDITION, from, to);
        // a condition opening the sentence governs it: "If you'd rather leave, I can rebook you"
        int opening = condition >= 0 ? -1 : marker(PromiseCues.CONDITION, sentFrom, from);
        boolean anyMore = is(cueFirst, "any") || is(cueFirst, "anymore");
        if (!anyMore) {
            int neg = negation(from, cueFirst, condition);
            if (neg >= 0) {
                return;
            }
        }
        int form = form(from, to, sentFrom, cueFirst);
        if (form != NONE && marker(PromiseCues.GENERIC, from, to) >= 0 && !has(from, to, FIRST | YOU)) {
            return; // "A small chip can usually be repaired": how things go, not a promise
        }
        if (form == NONE && !(condition >= 0 && hasAfter(condition, to, YOU) && has(from, to, FIRST))
                && !(opening >= 0 && hasAfter(opening, from, YOU) && has(from, to, FIRST))) {
            return; // no one commits: a policy, unless "if you ..., we ..." offers it
        }
        if (kind == Kind.APPOINTMENT && (is(cueFirst - 1, "you") || is(cueFirst - 2, "you") && (cls(cueFirst - 1) & MODAL) != 0)) {
            return; // "you can book online": the customer books
        }
        if (kind == Kind.APPOINTMENT && is(cueFirst - 1, "to")) {
            return; // "will call you to set up a meeting": the meeting is the call's purpose
        }
        if (kind == Kind.FREE_ADD_ON && is(cueFirst, "free") && cueFirst == cueLast && (is(cueLast + 1, "trial")
                || is(cueLast + 1, "consultation") || is(cueLast + 1, "consult") || is(cueLast + 1, "case") || is(cueLast + 1, "collection")
                || is(cueLast + 1, "returns") || is(cueLast + 1, "quote") || is(cueLast + 1, "estimate"))) {
            return; // a free trial or consultation is its own kind, or the booking
        }
        if (aboutIt(from, cueFirst)) {
            return; // "will call you back to sort out the refund": the refund is the topic, not a promise
        }
        if ((is(cueFirst, "make") || is(cueFirst, "cover")) && !has(from, cueFirst, FIRST)) {
            return; // "Make sure your phone's clock is right": advice; "your insurance will cover the cost": not ours
        }
        if (politeRefusal(sentFrom, cueFirst, cueLast, sentTo)) {
            return; // "I'd love to give you a discount, but I can't"
        }
        boolean included = (kind == Kind.FREE_ADD_ON || kind == Kind.FREE_TRIAL)
                && (has(from, cueFirst, "include") || has(from, cueFirst, "add") || has(from, cueFirst, "throw"));
        if (kind == Kind.FREE_ADD_ON && is(cueFirst, "free") && (hyphenBefore(cueFirst) || is(cueFirst - 1, "days")
                || is(cueFirst - 1, "weeks") || is(cueFirst - 1, "months") || is(cueFirst + 1, "for") && !included)) {
            return; // "sugar-free", "60 days free" (a trial)
        }
        if (kind == Kind.FREE_TRIAL && included && is(cueFirst, "free")) {
            return; // "I can include the text reminders free for the first year": an add-on, for a time
        }
        if (kind == Kind.DELIVERY_DATE && (is(cueLast + 1, "replacement") || is(cueLast + 2, "replacement"))) {
            return; // "I'll ship a replacement": the replacement is the promise
        }
        if (kind == Kind.FOLLOW_UP && (is(cueLast, "a") || is(cueLast, "an") || is(cueLast, "the") || is(cueLast, "you"))
                && (isThing(cueLast + 1) || isThing(cueLast + 2))) {
            return; // "send a technician", "send a replacement": not a message
        }
        if (form == OFFER && proposalFollows(sentTo)) {
            return; // "I can book you Tuesday at 5pm. Would that work?"
        }
        if (kind == Kind.FOLLOW_UP && form == DONE) {
            return; // "sent you a copy": nothing left to do
        }
        boolean soft = marker(PromiseCues.HEDGE, from, to) >= 0 || condition >= 0 && softCondition(condition, to)
                || opening >= 0 && softCondition(opening, from) || form == NONE;
        String value = values.value(kind, cueFirst, cueLast, from, to, sentFrom, sentTo, form == OFFER);
        if (value == PromiseValues.REJECT) {
            return;
        }
        if (form == OFFER && value == null && (kind == Kind.APPOINTMENT || kind == Kind.CALLBACK)) {
            soft = true; // "I can book an engineer": offered, no time set
        }
        if (kind == Kind.ESCALATION && !is(cueFirst, "escalate") && !is(cueFirst, "escalated") && !is(cueFirst, "escalating")
                && value == null) {
            return; // "I'll flag it as urgent": no one to escalate to
        }
        if (kind == Kind.CALLBACK && mentionsEmail(from, to)) {
            kind = Kind.FOLLOW_UP;
        }
        add(kind, soft ? Strength.SOFT : Strength.HARD, sentFrom, sentTo, value);
    }

    /** A negation before the cue in its clause, not inside a condition ("if it can't be fixed we'll replace it"). */
    private int negation(int from, int cue, int condition) {
        for (int t = from; t < cue; t++) {
            if (condition >= 0 && t > condition) {
                return -1;
            }
            int f = s.tokFlags[t];
            if ((f & Words.NEG) != 0 && !is(t, "without")) {
                return t;
            }
            if ((f & Words.NO) != 0 && t + 1 < cue && !s.isBoundary(t + 1)) {
                return t;
            }
        }
        int m = marker(PromiseCues.NEGATION, from, cue);
        return condition >= 0 && m > condition ? -1 : m;
    }

    /** "once the invoice is voided" is a step of ours, not a condition on the customer. */
    private boolean softCondition(int condition, int to) {
        if (!is(condition, "once")) {
            return true;
        }
        for (int t = condition + 1; t < Math.min(to, condition + 6); t++) {
            if ((cls(t) & BE) != 0 && t + 1 < to && participle(t + 1)) {
                return false;
            }
        }
        return true;
    }

    private static final int NONE = 0;
    private static final int FIRM = 1;
    private static final int OFFER = 2;
    private static final int DONE = 3;

    /** Who commits in the clause, and how: FIRM (will, progressive, passive), OFFER (can, could), DONE (a perfect), NONE. */
    private int form(int from, int to, int sentFrom, int cue) {
        if (is(cue, "i") && is(cue + 1, "have")) {
            return FIRM; // "I have a slot tomorrow at 11am"
        }
        if (from == sentFrom && participle(from) && !is(from, "need") && (cls(from) & (MODAL | BE | HAVE)) == 0
                && from + 1 < to && (cls(from + 1) & PREP) != 0) {
            return DONE; // "Booked for Thursday at 3pm."
        }
        int best = NONE;
        for (int t = from; t < to; t++) {
            int c = cls(t);
            int f = NONE;
            if ((c & FIRST) != 0) {
                int k = verbAt(t + 1, to);
                // "I refunded the $40", "we credited your account": the promise's own verb in the past, said by us
                f = k == cue && endsWith(cue, "ed", 4) ? DONE : verbGroup(k, to, true);
            } else if ((c & LET) != 0 && (is(t + 1, "me") || is(t + 1, "us"))) {
                f = FIRM;
            } else if ((c & YOU) != 0 && !is(t - 1, "to") && !is(t - 1, "for") && !is(t - 1, "with") && !is(t - 1, "call")) {
                f = verbGroup(t + 1, to, false);
            } else if ((c & (DET | PRONOUN | TITLE)) != 0 && !is(t - 1, "to") && !is(t - 1, "for") && !is(t - 1, "of")
                    && !is(t - 1, "within") && !is(t - 1, "after") && !(t > from && (is(t, "that") || is(t, "which") || is(t, "who")))) {
                // not the object of "to", "for", "of", "within" ("within a year are replaced"), nor a relative ("fillings that fail")
                f = subjectVerb(t, to);
            }
            if (f == FIRM) {
                return FIRM;
            }
            if (f != NONE && (best == NONE || f == DONE)) {
                best = f;
            }
        }
        return best;
    }

    /** The verb group after a pronoun subject. */
    private int verbGroup(int t, int to, boolean first) {
        int k = verbAt(t, to);
        if (k >= to) {
            return NONE;
        }
        int c = cls(k);
        if (is(k, "went") && is(k + 1, "ahead")) {
            return DONE; // "I went ahead and refunded it"
        }
        if ((c & MODAL) != 0) {
            if (is(k + 1, "not")) {
                return NONE;
            }
            return is(k, "can") || is(k, "could") || is(k, "may") || is(k, "might") ? OFFER : FIRM;
        }
        if ((c & HAVE) != 0) {
            int j = k + 1;
            while (j < to && (cls(j) & PromiseCues.ADVERB) != 0) {
                j++;
            }
            if (is(j, "gone") && is(j + 1, "ahead")) {
                return DONE; // "I've gone ahead and refunded the $40"
            }
            return j < to && participle(j) && !is(j, "been") ? DONE : NONE;
        }
        if ((c & BE) != 0) {
            int j = k + 1;
            while (j < to && (cls(j) & PromiseCues.ADVERB) != 0) {
                j++;
            }
            if (j < to && is(j, "going") && is(j + 1, "to")) {
                return FIRM;
            }
            return j < to && (progressive(j) || !first && participle(j)) ? FIRM : NONE;
        }
        return NONE;
    }

    /** The first token from {@code t} that is not an adverb ("we've already refunded"), or {@code to}. */
    private int verbAt(int t, int to) {
        int k = t;
        while (k < to && (cls(k) & PromiseCues.ADVERB) != 0 && (cls(k) & (MODAL | BE | HAVE)) == 0) {
            k++;
        }
        return k;
    }

    /** A determined, named or pronoun subject followed by a modal or a passive. */
    private int subjectVerb(int t, int to) {
        for (int k = t + 1; k < Math.min(to, t + 8); k++) {
            int c = cls(k);
            if ((s.tokFlags[k] & Words.NEG) != 0) {
                return NONE; // "the credits haven't been used"
            }
            if ((c & MODAL) != 0) {
                return is(k + 1, "not") ? NONE : is(k, "can") || is(k, "could") ? OFFER : FIRM;
            }
            if ((c & BE) != 0 && k + 1 < to && participle(k + 1) && !is(k + 1, "been")) {
                return FIRM;
            }
            if ((c & HAVE) != 0 && is(k + 1, "been") && k + 2 < to && participle(k + 2)) {
                return FIRM;
            }
            if ((c & (FIRST | YOU)) != 0 || s.isBoundary(k) && mark(k) != '.') {
                return NONE;
            }
        }
        return NONE;
    }

    private boolean hasAfter(int at, int to, int flag) {
        return at + 1 < to && (cls(at + 1) & flag) != 0;
    }

    /** The sentence after {@code sentTo} is a question asking the customer to agree. */
    private boolean proposalFollows(int sentTo) {
        if (sentTo >= s.tokCount) {
            return false;
        }
        int a = sentTo + 1;
        int b = sentenceEndAt(a);
        return b < s.tokCount && b > a && mark(b) == '?';
    }

    // ------------------------------------------------------------------ results

    private void add(Kind kind, Strength strength, int sentFrom, int sentTo, String value) {
        int a = s.sourceStart(sentFrom);
        int b = sentTo < s.tokCount ? Math.min(text.length(), s.from[s.tokStart[sentTo]] + 1) : text.length();
        String sentence = text.substring(a, Math.max(a, b)).strip();
        if (out == null) {
            out = new ArrayList<>(2);
        }
        for (int i = 0; i < out.size(); i++) {
            Commitment c = out.get(i);
            if (c.kind() == kind) {
                // one promise of a kind per turn: keep the one with a value, then the firmer, then the first
                boolean better = c.value() == null && value != null
                        || (c.value() == null) == (value == null) && c.strength() == Strength.SOFT && strength == Strength.HARD;
                if (better) {
                    out.set(i, Commitment.pending("pending", kind, strength, sentence, value, turnIndex));
                }
                return;
            }
        }
        out.add(Commitment.pending("pending", kind, strength, sentence, value, turnIndex));
    }
}
