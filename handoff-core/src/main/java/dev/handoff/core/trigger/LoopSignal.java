package dev.handoff.core.trigger;

import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.util.List;

/**
 * Conversation loops from what was said. A turn's fingerprint is the set of its content words, stemmed
 * ({@code resets} = {@code reset}), with synonyms of common support topics merged ({@code wifi} = {@code internet});
 * acknowledgements ("sounds good"), numbers and address words are not content, so stock replies and a repeated
 * address never count.
 * <ul>
 *   <li>{@code loop.repeat}: the customer says again what they said in one of the last {@code window} turns
 *       (Jaccard similarity at least {@code similarity}), unless the bot had just asked them to confirm or repeat,
 *       or had just read it back to them in a question (the customer is confirming); the reason names the earlier
 *       turn;</li>
 *   <li>{@code loop.rephrase}: the customer has put one problem three ways: each of their last three turns shares
 *       at least {@link #REPHRASE_SIMILARITY} of its content with the other two;</li>
 *   <li>{@code loop.bot-repeat}: the bot gives the same answer again ({@code botSimilarity}).</li>
 * </ul>
 */
final class LoopSignal implements Signal {

    /** Similarity each pair of the last three customer turns needs for {@code loop.rephrase}. */
    static final double REPHRASE_SIMILARITY = 0.25;
    /** The longest quotation of a turn in a loop reason. */
    static final int QUOTE = 60;

    private final TriggerPolicy.Loop c;

    LoopSignal(TriggerPolicy.Loop c) {
        this.c = c;
    }

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState st, List<Fired> fired) {
        if (st == null || (in.speaker != Speaker.CUSTOMER && in.speaker != Speaker.AI)) {
            return fired;
        }
        Scratch s = in.s;
        boolean customer = in.speaker == Speaker.CUSTOMER;
        SessionState.Prints prints = customer ? st.customerPrints : st.botPrints;
        if (c.enabled() && s.printLen >= c.minTokens()) {
            if (customer) {
                fired = customerLoop(in, st, prints, fired);
            } else {
                fired = botLoop(in, prints, fired);
            }
        }
        if (!customer) {
            st.botAskedToConfirm = asksToConfirm(s);
            st.botAskedQuestion = endsInQuestion(in.text);
        }
        prints.add(s.print, s.printLen, s.printSig, in.turn.index());
        return fired;
    }

    private List<Fired> customerLoop(TurnInput in, SessionState st, SessionState.Prints prints, List<Fired> fired) {
        Scratch s = in.s;
        int window = Math.min(c.window(), prints.count);
        int repeats = 0;
        double best = 0;
        int bestTurn = -1;
        for (int k = 0; k < window; k++) {
            int slot = prints.slot(k);
            if (!mayReach(s.print, s.printLen, prints.sigs[slot], prints.lengths[slot], c.similarity())) {
                continue;
            }
            double sim = jaccard(s.print, s.printLen, prints.prints[slot], prints.lengths[slot], prints.sigs[slot]);
            if (sim >= c.similarity()) {
                repeats++;
                if (sim > best) {
                    best = sim;
                    bestTurn = prints.turnIndex[slot];
                }
            }
        }
        if (repeats >= c.minRepeats() && !st.botAskedToConfirm && !readBack(s, st)) {
            String earlier = quoteTurn(in, bestTurn);
            String detail = "The customer repeated turn " + bestTurn + (earlier == null ? "" : " (\"" + earlier + "\")")
                    + (repeats > 1 ? ", " + Fmt.count(repeats, "earlier request", "earlier requests") + " in all" : "")
                    + " (similarity " + Fmt.against(best, c.similarity()) + ", threshold " + Fmt.num(c.similarity()) + ")";
            return Signal.add(fired, new Fired(new Reason(TriggerKind.CONVERSATION_LOOP, "loop.repeat", detail,
                    in.turn.index(), evidence(in.text), Fmt.round2(best), c.similarity()), c.priority(), null, false));
        }
        if (prints.count >= 2 && st.rephraseFiredAt < 0) {
            int a = prints.slot(0);
            int b = prints.slot(1);
            double t = REPHRASE_SIMILARITY;
            if (!mayReach(s.print, s.printLen, prints.sigs[a], prints.lengths[a], t)
                    || !mayReach(s.print, s.printLen, prints.sigs[b], prints.lengths[b], t)
                    || !mayReach(prints.prints[a], prints.lengths[a], prints.sigs[b], prints.lengths[b], t)) {
                return fired;
            }
            double ab = jaccard(prints.prints[a], prints.lengths[a], prints.prints[b], prints.lengths[b], prints.sigs[b]);
            double na = jaccard(s.print, s.printLen, prints.prints[a], prints.lengths[a], prints.sigs[a]);
            double nb = jaccard(s.print, s.printLen, prints.prints[b], prints.lengths[b], prints.sigs[b]);
            double least = Math.min(ab, Math.min(na, nb));
            if (least >= REPHRASE_SIMILARITY && prints.lengths[a] >= c.minTokens() && prints.lengths[b] >= c.minTokens()) {
                st.rephraseFiredAt = in.turn.index();
                return Signal.add(fired, new Fired(new Reason(TriggerKind.CONVERSATION_LOOP, "loop.rephrase",
                        "The customer has put the same problem three ways (turns " + prints.turnIndex[b] + ", "
                                + prints.turnIndex[a] + " and " + in.turn.index() + "; least similarity "
                                + Fmt.against(least, REPHRASE_SIMILARITY) + ", threshold " + Fmt.num(REPHRASE_SIMILARITY) + ")",
                        in.turn.index(), evidence(in.text), Fmt.round2(least), REPHRASE_SIMILARITY), c.priority(), null, false));
            }
        }
        return fired;
    }

    private List<Fired> botLoop(TurnInput in, SessionState.Prints prints, List<Fired> fired) {
        Scratch s = in.s;
        int window = Math.min(c.window(), prints.count);
        for (int k = 0; k < window; k++) {
            int slot = prints.slot(k);
            if (!mayReach(s.print, s.printLen, prints.sigs[slot], prints.lengths[slot], c.botSimilarity())) {
                continue;
            }
            double sim = jaccard(s.print, s.printLen, prints.prints[slot], prints.lengths[slot], prints.sigs[slot]);
            if (sim >= c.botSimilarity()) {
                String detail = "The bot gave the same answer as in turn " + prints.turnIndex[slot] + " (similarity "
                        + Fmt.against(sim, c.botSimilarity()) + ", threshold " + Fmt.num(c.botSimilarity()) + ")";
                return Signal.add(fired, new Fired(new Reason(TriggerKind.CONVERSATION_LOOP, "loop.bot-repeat", detail,
                        in.turn.index(), evidence(in.text), Fmt.round2(sim), c.botSimilarity()), c.priority(), null, false));
            }
        }
        return fired;
    }

    /**
     * True when the bot's latest turn was a question that already holds what the customer now says (at least
     * {@code similarity} of the customer's content words): the bot read something back ("Friday at 7 for two,
     * confirmed?", "Did you say 12 Oak Street?") and the customer confirms it by saying it again, which is an answer,
     * not a loop. A bot answer that merely echoes the request without asking keeps the repeat a loop.
     */
    private boolean readBack(Scratch s, SessionState st) {
        SessionState.Prints bot = st.botPrints;
        if (!st.botAskedQuestion || bot.count == 0 || s.printLen == 0) {
            return false;
        }
        int slot = bot.slot(0);
        return common(s.print, s.printLen, bot.prints[slot], bot.lengths[slot], bot.sigs[slot]) >= c.similarity() * s.printLen;
    }

    private static boolean endsInQuestion(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            char ch = text.charAt(i);
            if (!Character.isWhitespace(ch)) {
                return ch == '?' || ch == '？';
            }
        }
        return false;
    }

    private static boolean asksToConfirm(Scratch s) {
        for (int t = 0; t < s.tokCount; t++) {
            if ((s.tokFlags[t] & Words.CONFIRM) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The start of the turn, at most {@link #QUOTE} characters, as evidence. */
    private static EvidenceSpan evidence(String text) {
        String q = Fmt.quote(text, QUOTE);
        int end = q.endsWith("…") ? text.indexOf(q.substring(0, q.length() - 1)) + q.length() - 1 : text.indexOf(q) + q.length();
        int start = Math.max(0, text.indexOf(q.endsWith("…") ? q.substring(0, q.length() - 1) : q));
        end = Math.max(start, Math.min(text.length(), end));
        return new EvidenceSpan(start, end, text.substring(start, end));
    }

    private static String quoteTurn(TurnInput in, int index) {
        if (in.view == null || index < 0) {
            return null;
        }
        List<Turn> turns = in.view.turns();
        if (index >= turns.size() || turns.get(index).index() != index) {
            for (Turn t : turns) {
                if (t.index() == index) {
                    return Fmt.quote(t.text(), QUOTE);
                }
            }
            return null;
        }
        return Fmt.quote(turns.get(index).text(), QUOTE);
    }

    /** The Jaccard similarity of two distinct fingerprints; {@code sigB} is {@code b}'s signature. */
    static double jaccard(long[] a, int na, long[] b, int nb, long sigB) {
        if (na == 0 || nb == 0) {
            return 0;
        }
        int common = common(a, na, b, nb, sigB);
        return (double) common / (na + nb - common);
    }

    /**
     * How many hashes two distinct fingerprints share (in any order; {@code sigB} is {@code b}'s signature, see
     * {@link Scratch#printSig}): only a hash whose bit is in {@code sigB} is looked for in {@code b}.
     */
    static int common(long[] a, int na, long[] b, int nb, long sigB) {
        int common = 0;
        for (int i = 0; i < na; i++) {
            long h = a[i];
            if ((sigB >>> (int) (h >>> 58) & 1) == 0) {
                continue;
            }
            for (int j = 0; j < nb; j++) {
                if (b[j] == h) {
                    common++;
                    break;
                }
            }
        }
        return common;
    }

    /**
     * False only when the Jaccard similarity of {@code a} and a fingerprint of {@code nb} hashes with signature
     * {@code sigB} is certainly under {@code t}: every hash they share has its bit in {@code sigB}, so counting
     * those bits bounds what they share, without the merge (which unrelated turns, the common case, never need).
     */
    static boolean mayReach(long[] a, int na, long sigB, int nb, double t) {
        int bound = 0;
        for (int i = 0; i < na; i++) {
            bound += (int) (sigB >>> (int) (a[i] >>> 58)) & 1;
        }
        return bound * (1 + t) >= t * (na + nb);
    }
}
