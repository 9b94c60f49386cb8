package dev.handoff.core.trigger;

import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.util.List;

/**
 * Asking for a person in words no phrase lists: a present-tense request verb ({@link Words#REQUEST_VERB}: talk,
 * connect, get, want, ...) followed in its clause, across small words only ({@link Words#REQUEST_GAP}: to, me, a,
 * real, ...), by a word for a person ({@link Words#PERSON}): "can I get a real person on this", "I want to reach
 * someone", "please put me through to a colleague". It reads the words the phrase rules' templates combine,
 * in any order of those small words, so a wording the templates lack still counts.
 * <p>It does not fire when the verb is negated in its clause ({@link Negation}), when the clause is in the past or
 * reported ({@link Words#REPORTED}: "I had to talk to an agent", "she said I need to speak to someone"), when the
 * customer asks whether they must ("do I need to speak to someone?"), or on a compound ("human resources"). It
 * belongs to the {@code explicit.request} rule: off when that rule is, with its priority, speakers and route, and it
 * adds nothing when a phrase rule of the same kind already fired on the turn. The summarizer still reads the
 * sentence for the need and the timeline ("I need a specialist by Friday").
 */
final class RequestSignal implements Signal {

    /** The rule whose settings the request form shares. */
    static final String RULE = "explicit.request";
    /** The id of the reason. */
    static final String ID = RuleTriggerEvaluator.REQUEST_FORM;
    /** Most small words between the verb and the person. */
    static final int MAX_GAP = 6;

    private static final String[] COMPOUNDS = {"resources", "error", "errors", "rights", "nature", "trafficking", "interest"};
    private static final String[] ASKING_WHETHER = {"do", "does", "will", "should", "must"};

    private final TriggerPolicy.PhraseRule rule;
    private final int speakerMask;

    RequestSignal(CompiledPolicy c) {
        TriggerPolicy.PhraseRule found = null;
        int mask = 0;
        for (int r = 0; r < c.rules.length; r++) {
            if (c.rules[r].id().equals(RULE) && c.rules[r].kind() == TriggerKind.EXPLICIT_REQUEST && c.languageBit[r] == 0) {
                found = c.rules[r];
                mask = c.speakerMask[r];
            }
        }
        this.rule = found;
        this.speakerMask = mask;
    }

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState state, List<Fired> fired) {
        Scratch s = in.s;
        if (rule == null || (s.flagsSeen & (Words.PERSON | Words.REQUEST_VERB)) != (Words.PERSON | Words.REQUEST_VERB)
                || (speakerMask & (1 << in.speaker.ordinal())) == 0 || fired(fired)) {
            return fired;
        }
        for (int t = 0; t < s.tokCount; t++) {
            if ((s.tokFlags[t] & Words.REQUEST_VERB) == 0) {
                continue;
            }
            int person = personAfter(s, t);
            if (person < 0 || compound(s, person) || Negation.negated(s, t, false) || reportedOrAsking(s, t)) {
                continue;
            }
            int start = s.sourceStart(t);
            int end = Math.min(s.sourceEnd(person), in.text.length());
            String evidence = in.text.substring(start, end);
            return Signal.add(fired, new Fired(new Reason(TriggerKind.EXPLICIT_REQUEST, ID,
                    rule.description() + ": \"" + evidence + "\"", in.turn.index(), new EvidenceSpan(start, end, evidence),
                    null, null), rule.priority(), rule.routeHint(), false));
        }
        return fired;
    }

    /** The person asked for after the verb at {@code verb}, across small words and further verbs only; else -1. */
    private static int personAfter(Scratch s, int verb) {
        int gap = 0;
        for (int t = verb + 1; t < s.tokCount && gap <= MAX_GAP; t++, gap++) {
            int f = s.tokFlags[t];
            if (s.isBoundary(t)) {
                return -1;
            }
            if ((f & Words.PERSON) != 0) {
                return t;
            }
            if ((f & (Words.REQUEST_GAP | Words.REQUEST_VERB)) == 0) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean compound(Scratch s, int person) {
        if (person + 1 >= s.tokCount) {
            return false;
        }
        for (String c : COMPOUNDS) {
            if (s.tokenIs(person + 1, c)) {
                return true;
            }
        }
        return false;
    }

    /** True when the clause before the verb is in the past, reported, or asks whether the customer must. */
    private static boolean reportedOrAsking(Scratch s, int verb) {
        int first = verb;
        for (int j = verb - 1; j >= 0 && !s.isBoundary(j); j--) {
            if ((s.tokFlags[j] & Words.REPORTED) != 0) {
                return true;
            }
            first = j;
        }
        for (String a : ASKING_WHETHER) {
            if (s.tokenIs(first, a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fired(List<Fired> fired) {
        if (fired != null) {
            for (Fired f : fired) {
                if (f.reason().kind() == TriggerKind.EXPLICIT_REQUEST) {
                    return true;
                }
            }
        }
        return false;
    }
}
