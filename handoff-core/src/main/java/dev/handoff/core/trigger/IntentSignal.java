package dev.handoff.core.trigger;

import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rules over the NLU intent: no-match streaks ({@code loop.fallback}), intents configured as complex, too many
 * intents in one turn ({@code "a+b+c"}) or in the session.
 */
final class IntentSignal implements Signal {

    private final TriggerPolicy.Loop loop;
    private final TriggerPolicy.Complex complex;

    IntentSignal(TriggerPolicy.Loop loop, TriggerPolicy.Complex complex) {
        this.loop = loop;
        this.complex = complex;
    }

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState st, List<Fired> fired) {
        String intent = in.signals.intent();
        if (st == null || intent == null || intent.isBlank()) {
            return fired;
        }
        int turn = in.turn.index();
        boolean multi = intent.indexOf('+') >= 0 || intent.indexOf(',') >= 0;
        if (!multi) {
            boolean fallback = loop.fallbackIntents().contains(intent);
            if (loop.enabled()) {
                st.fallbackRun = fallback ? st.fallbackRun + 1 : 0;
                if (fallback && st.fallbackRun >= loop.maxConsecutiveFallbacks()) {
                    fired = Signal.add(fired, new Fired(new Reason(TriggerKind.CONVERSATION_LOOP, "loop.fallback",
                            Fmt.count(st.fallbackRun, "no-match intent", "no-match intents") + " in a row (\"" + intent
                                    + "\"), limit " + loop.maxConsecutiveFallbacks(), turn, null, (double) st.fallbackRun,
                            (double) loop.maxConsecutiveFallbacks()), loop.priority(), null, false));
                }
            }
            if (complex.enabled() && !fallback) {
                if (complex.intents().contains(intent)) {
                    fired = Signal.add(fired, complexIntent(intent, turn));
                }
                fired = sessionIntents(st, intent, turn, fired);
            }
            return fired;
        }
        if (loop.enabled()) {
            st.fallbackRun = 0;
        }
        if (!complex.enabled()) {
            return fired;
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String part : intent.split("[+,]")) {
            if (!part.isBlank() && !loop.fallbackIntents().contains(part.strip())) {
                distinct.add(part.strip());
            }
        }
        for (String part : distinct) {
            if (complex.intents().contains(part)) {
                fired = Signal.add(fired, complexIntent(part, turn));
                break;
            }
        }
        if (distinct.size() > complex.maxIntentsPerTurn()) {
            fired = Signal.add(fired, new Fired(new Reason(TriggerKind.COMPLEX_ISSUE, "complex.multi-intent",
                    distinct.size() + " distinct intents in one turn " + distinct + ", more than " + complex.maxIntentsPerTurn(),
                    turn, null, (double) distinct.size(), (double) complex.maxIntentsPerTurn()),
                    complex.priority(), complex.routeHint(), false));
        }
        for (String part : distinct) {
            fired = sessionIntents(st, part, turn, fired);
        }
        return fired;
    }

    private Fired complexIntent(String intent, int turn) {
        return new Fired(new Reason(TriggerKind.COMPLEX_ISSUE, "complex.intent",
                "Intent \"" + intent + "\" is configured as complex", turn, null, null, null),
                complex.priority(), complex.routeHint(), false);
    }

    private List<Fired> sessionIntents(SessionState st, String intent, int turn, List<Fired> fired) {
        if (st.intents().add(intent) && !st.sessionIntentsFired && st.intents.size() > complex.maxIntentsPerSession()) {
            st.sessionIntentsFired = true;
            fired = Signal.add(fired, new Fired(new Reason(TriggerKind.COMPLEX_ISSUE, "complex.session-intents",
                    st.intents.size() + " distinct intents in the session, more than " + complex.maxIntentsPerSession(),
                    turn, null, (double) st.intents.size(), (double) complex.maxIntentsPerSession()),
                    complex.priority(), complex.routeHint(), false));
        }
        return fired;
    }
}
