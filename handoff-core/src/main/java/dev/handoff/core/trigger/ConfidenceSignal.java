package dev.handoff.core.trigger;

import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import java.util.List;

/**
 * Confidence rules: one turn under the hard floor, N low turns in a row, a low rolling mean. The bot's confidence
 * on its own turns and the NLU confidence on the customer's turns are two separate series: a low classification of
 * what the customer said does not extend a streak of the bot's uncertain answers, nor the reverse.
 */
final class ConfidenceSignal implements Signal {

    private final TriggerPolicy.Confidence c;

    ConfidenceSignal(TriggerPolicy.Confidence c) {
        this.c = c;
    }

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState st, List<Fired> fired) {
        Double boxed = in.signals.confidence();
        if (st == null || !c.enabled() || boxed == null || !(boxed >= 0 && boxed <= 1)) {
            return fired; // out of range: HandoffSession refuses such turns; other callers get no confidence rule
        }
        double conf = boxed;
        SessionState.Series series = in.speaker == Speaker.CUSTOMER ? st.customerConfidence : st.botConfidence;
        String whose = in.speaker == Speaker.CUSTOMER ? "NLU confidence in the customer's turn" : "Bot confidence";
        series.run = conf < c.softThreshold() ? series.run + 1 : 0;
        series.add(conf);
        if (conf < c.hardFloor()) {
            return Signal.add(fired, new Fired(new Reason(TriggerKind.CONFIDENCE, "confidence.floor",
                    whose + " " + Fmt.against(conf, c.hardFloor()) + " is under the hard floor " + Fmt.num(c.hardFloor()),
                    in.turn.index(), null, conf, c.hardFloor()), c.priority(), null, false));
        }
        if (series.run >= c.consecutiveTurns()) {
            return Signal.add(fired, new Fired(new Reason(TriggerKind.CONFIDENCE, "confidence.soft",
                    whose + " was under " + Fmt.num(c.softThreshold()) + " for " + Fmt.count(series.run, "turn", "turns")
                            + (series.run == 1 ? "" : " in a row") + " (now " + Fmt.against(conf, c.softThreshold()) + ")",
                    in.turn.index(), null, conf, c.softThreshold()), c.priority(), null, false));
        }
        int k = c.rollingWindow();
        if (series.count >= k) {
            double mean = series.mean(k);
            if (mean < c.softThreshold()) {
                return Signal.add(fired, new Fired(new Reason(TriggerKind.CONFIDENCE, "confidence.mean",
                        "Mean " + (in.speaker == Speaker.CUSTOMER ? "NLU confidence in the customer's turns" : "bot confidence")
                                + " over the last " + Fmt.count(k, "turn", "turns") + " is "
                                + Fmt.against(mean, c.softThreshold()) + ", under " + Fmt.num(c.softThreshold()),
                        in.turn.index(), null, Fmt.round2(mean), c.softThreshold()), c.priority(), null, false));
            }
        }
        return fired;
    }
}
