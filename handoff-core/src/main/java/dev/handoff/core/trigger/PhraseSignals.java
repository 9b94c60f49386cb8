package dev.handoff.core.trigger;

import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.util.List;

/**
 * The phrase rules of every kind (explicit requests, kill-switch categories, regulatory matters, complex issues,
 * negotiation, urgency and frustration words): hits of the policy's automaton, filtered by speaker, session
 * language, exception phrases, the alone-only form, clause-scoped negation ({@link Negation}), for rules with
 * companion ({@code with}) phrases one in the same sentence, and, for {@code whenNegative} rules, the turn's
 * sentiment. One reason per rule and turn, with the customer's own words
 * as evidence.
 */
final class PhraseSignals implements Signal {

    private final CompiledPolicy c;

    PhraseSignals(CompiledPolicy c) {
        this.c = c;
    }

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState state, List<Fired> fired) {
        Scratch s = in.s;
        if (s.hitCount == 0) {
            return fired;
        }
        int bit = 1 << in.speaker.ordinal();
        s.markCount = 0;
        if (!anyCandidate(s)) {
            return fired; // only exception or companion phrases, or objects without their companion: nothing can fire
        }
        // exception spans first: they may end after the hit they cancel ("stupid question")
        for (int h = 0; h < s.hitCount; h++) {
            int phrase = s.hits[2 * h];
            if (c.formOfPhrase[phrase] == CompiledPolicy.EXCEPT) {
                int end = s.hits[2 * h + 1];
                s.addMark(-1 - c.ruleOfPhrase[phrase], c.index.normalizedStart(phrase, end), c.index.normalizedEnd(s, phrase, end));
            }
        }
        long seen = 0; // rules already reported on this turn (first 64 rules); later rules use the list
        for (int h = 0; h < s.hitCount; h++) {
            int phrase = s.hits[2 * h];
            int form = c.formOfPhrase[phrase];
            if (form == CompiledPolicy.EXCEPT || form == CompiledPolicy.WITH) {
                continue;
            }
            int r = c.ruleOfPhrase[phrase];
            if (c.needsWith[r] && !anyCompanionHit(s, r)) {
                continue;
            }
            TriggerPolicy.PhraseRule rule = c.rules[r];
            if ((c.speakerMask[r] & bit) == 0 || (c.languageBit[r] != 0 && (c.languageBit[r] & in.languages) == 0)
                    || (r < 64 && (seen & (1L << r)) != 0) || (r >= 64 && has(fired, rule.id()))) {
                continue;
            }
            int normEnd = s.hits[2 * h + 1];
            int normStart = c.index.normalizedStart(phrase, normEnd);
            int contentEnd = c.index.normalizedEnd(s, phrase, normEnd);
            if (marked(s, -1 - r, normStart, contentEnd)) {
                continue;
            }
            int firstTok = s.tokenAt(normStart);
            if (form == CompiledPolicy.ALONE && !alone(s, firstTok, s.tokenAt(contentEnd))) {
                continue;
            }
            if (rule.negatable() && (inside(s, r, normStart) || Negation.negated(s, firstTok, "es".equals(rule.language())))) {
                s.addMark(r, normStart, contentEnd);
                continue;
            }
            if (consequenceQuestion(s, firstTok)) {
                continue;
            }
            if (rule.whenNegative() && !(in.sentiment() < in.policy.policy.sentiment().negativeBelow())) {
                continue;
            }
            long span = c.index.span(s, phrase, normEnd);
            int start = (int) (span >>> 32);
            int end = Math.min((int) span, in.text.length());
            if (c.needsWith[r]) {
                long with = companion(in.text, s, r, start, end);
                if (with < 0) {
                    continue;
                }
                start = Math.min(start, (int) (with >>> 32));
                end = Math.max(end, Math.min((int) with, in.text.length()));
            }
            if (r < 64) {
                seen |= 1L << r;
            }
            String evidence = in.text.substring(start, end);
            if (covered(fired, rule.kind(), rule.description(), start, end)) {
                continue; // one reason per category and span: "this is stupid" is one abuse, not two
            }
            String detail = rule.whenNegative()
                    ? rule.description() + " in a negative turn (sentiment " + Fmt.num(in.sentiment())
                            + (in.sentimentEstimated() ? ", lexicon estimate" : "") + "): \"" + evidence + "\""
                    : rule.description() + ": \"" + evidence + "\"";
            fired = Signal.add(fired, new Fired(new Reason(rule.kind(), rule.id(), detail, in.turn.index(),
                    new EvidenceSpan(start, end, evidence), null, null), rule.priority(), rule.routeHint(),
                    rule.kind() == TriggerKind.KILL_SWITCH));
        }
        return fired;
    }

    /** True when some hit is a rule's own phrase whose rule needs no companion or has a companion hit in the turn. */
    private boolean anyCandidate(Scratch s) {
        for (int h = 0; h < s.hitCount; h++) {
            int phrase = s.hits[2 * h];
            int form = c.formOfPhrase[phrase];
            if (form != CompiledPolicy.EXCEPT && form != CompiledPolicy.WITH
                    && (!c.needsWith[c.ruleOfPhrase[phrase]] || anyCompanionHit(s, c.ruleOfPhrase[phrase]))) {
                return true;
            }
        }
        return false;
    }

    /** True when a companion phrase of rule {@code r} was hit anywhere in the turn (a cheap test before the sentence's). */
    private boolean anyCompanionHit(Scratch s, int r) {
        for (int h = 0; h < s.hitCount; h++) {
            int phrase = s.hits[2 * h];
            if (c.formOfPhrase[phrase] == CompiledPolicy.WITH && c.ruleOfPhrase[phrase] == r) {
                return true;
            }
        }
        return false;
    }

    /**
     * The original span (start in the high half, end in the low half) of a companion phrase of rule {@code r} in the
     * sentence of {@code [start, end)}, before or after it and not overlapping it (a word cannot be both the object
     * and what is said of it), that no exception phrase of the rule cancels; -1 when there is none.
     */
    private long companion(String text, Scratch s, int r, int start, int end) {
        for (int h = 0; h < s.hitCount; h++) {
            int phrase = s.hits[2 * h];
            if (c.formOfPhrase[phrase] != CompiledPolicy.WITH || c.ruleOfPhrase[phrase] != r) {
                continue;
            }
            int normEnd = s.hits[2 * h + 1];
            if (marked(s, -1 - r, c.index.normalizedStart(phrase, normEnd), c.index.normalizedEnd(s, phrase, normEnd))) {
                continue;
            }
            long span = c.index.span(s, phrase, normEnd);
            int a = (int) (span >>> 32);
            int b = Math.min((int) span, text.length());
            if ((b <= start || a >= end) && oneSentence(text, Math.min(end, b), Math.max(start, a))) {
                return span;
            }
        }
        return -1;
    }

    /**
     * True when {@code text[from, to)}, the gap between two spans (empty when they overlap), ends no sentence: no
     * {@code !}, {@code ?}, {@code ;} or line break, and no {@code .} or {@code …} followed by a space or the
     * end of the text ("$4.50" and "v2.1" do not end one).
     */
    static boolean oneSentence(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch == '!' || ch == '?' || ch == ';' || ch == '\n' || ch == '\r') {
                return false;
            }
            if ((ch == '.' || ch == '\u2026') && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when the phrase is what a thing would do, asked about: its clause has a question auxiliary followed by a
     * subject that is an action or a thing ({@code it}, {@code that}, {@code this}, a word in {@code -ing}) before
     * the phrase, as in "will cancelling the trial delete my data?", "would that cancel my subscription?", "does it
     * remove my history?". The customer asks what happens, they do not ask for it. "Can you delete my data?",
     * "will someone cancel my account" (a person as the subject) and "would it be possible to delete my data" (an
     * infinitive: the customer wants it done) still fire.
     */
    static boolean consequenceQuestion(Scratch s, int phraseTok) {
        if (phraseTok > 0 && s.tokenIs(phraseTok - 1, "to")) {
            return false; // "would it be possible to delete my data": the customer is the one who wants it done
        }
        for (int j = phraseTok - 2; j >= 0; j--) {
            if (s.isBoundary(j)) {
                return false;
            }
            if (isQuestionAux(s, j)) {
                int subject = j + 1;
                return subject < phraseTok && (s.tokenIs(subject, "it") || s.tokenIs(subject, "that")
                        || s.tokenIs(subject, "this") || gerund(s, subject));
            }
        }
        return false;
    }

    private static final String[] QUESTION_AUX = {"will", "would", "does", "do", "did", "can", "could", "might", "should"};

    private static boolean isQuestionAux(Scratch s, int t) {
        for (String a : QUESTION_AUX) {
            if (s.tokenIs(t, a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean gerund(Scratch s, int t) {
        int a = s.tokStart[t];
        int e = s.tokEnd[t];
        return e - a >= 5 && s.out[e - 3] == 'i' && s.out[e - 2] == 'n' && s.out[e - 1] == 'g';
    }

    /** True when a reason of the same kind and category already quotes a span overlapping {@code [start, end)}. */
    private static boolean covered(List<Fired> fired, TriggerKind kind, String category, int start, int end) {
        if (fired != null) {
            for (Fired f : fired) {
                var e = f.reason().evidence();
                if (f.reason().kind() == kind && e != null && start < e.end() && e.start() < end
                        && f.reason().detail().startsWith(category)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean has(List<Fired> fired, String ruleId) {
        if (fired != null) {
            for (Fired f : fired) {
                if (f.reason().ruleId().equals(ruleId)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when a mark of {@code key} overlaps {@code [start, end)}. */
    private static boolean marked(Scratch s, int key, int start, int end) {
        for (int k = 0; k < s.markCount; k++) {
            int at = 3 * k;
            if (s.marks[at] == key && start < s.marks[at + 2] && s.marks[at + 1] < end) {
                return true;
            }
        }
        return false;
    }

    /** True when a negated, longer phrase of the same rule covers this start ("never ... speak to a representative"). */
    private static boolean inside(Scratch s, int rule, int normStart) {
        for (int k = 0; k < s.markCount; k++) {
            int at = 3 * k;
            if (s.marks[at] == rule && normStart >= s.marks[at + 1] && normStart < s.marks[at + 2]) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the phrase (tokens {@code [first, end)}) makes up its clause apart from fillers and repetitions of
     * its own words: "agent", "AGENT AGENT", "an agent please", "representative now!".
     */
    static boolean alone(Scratch s, int first, int end) {
        int a = first;
        while (a > 0 && !s.isBoundary(a - 1)) {
            a--;
        }
        int b = end;
        while (b < s.tokCount && !s.isBoundary(b)) {
            b++;
        }
        for (int t = a; t < b; t++) {
            if (t >= first && t < end) {
                continue;
            }
            if ((s.tokFlags[t] & Words.FILLER) != 0) {
                continue;
            }
            boolean repeat = false;
            for (int k = first; k < end; k++) {
                if (s.tokHash[k] == s.tokHash[t]) {
                    repeat = true;
                    break;
                }
            }
            if (!repeat) {
                return false;
            }
        }
        return true;
    }
}
