package dev.handoff.core.trigger;

import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import java.util.List;

/**
 * Sentiment rules over the customer's turns: a score under the threshold, and a fast fall (the least-squares slope
 * over the last k scores under the velocity threshold) that ends in negative territory (the latest score under
 * {@code velocityFloor}: delighted to neutral is not a fall). A turn without the bot's score is scored by the
 * lexicon analyzer when the policy's fallback allows it, and the reason says it is an estimate.
 */
final class SentimentSignal implements Signal {

    private final TriggerPolicy.Sentiment c;

    SentimentSignal(TriggerPolicy.Sentiment c) {
        this.c = c;
    }

    @Override
    public List<Fired> evaluate(TurnInput in, SessionState st, List<Fired> fired) {
        if (st == null || !c.enabled() || in.speaker != Speaker.CUSTOMER) {
            return fired;
        }
        double score = in.sentiment();
        if (Double.isNaN(score)) {
            return fired;
        }
        boolean estimated = in.sentimentEstimated();
        String source = estimated ? " (lexicon estimate: the bot sent no score)" : "";
        SessionState.Series series = st.sentiments;
        series.add(score);
        if (score < c.threshold()) {
            fired = Signal.add(fired, new Fired(new Reason(TriggerKind.NEGATIVE_SENTIMENT, "sentiment.negative",
                    "Customer sentiment " + Fmt.against(score, c.threshold()) + " is under " + Fmt.num(c.threshold()) + source,
                    in.turn.index(), null, score, c.threshold()), c.priority(), null, false));
        }
        int k = c.velocityWindow();
        if (series.count >= k && score < c.velocityFloor()) {
            // least-squares slope over the last k scores, oldest first
            double meanX = (k - 1) / 2.0;
            double meanY = series.mean(k);
            double num = 0;
            double den = 0;
            for (int i = 0; i < k; i++) {
                double dx = i - meanX;
                num += dx * (series.latest(k - 1 - i) - meanY);
                den += dx * dx;
            }
            double slope = num / den;
            if (slope < c.velocityThreshold()) {
                double first = series.latest(k - 1);
                fired = Signal.add(fired, new Fired(new Reason(TriggerKind.NEGATIVE_SENTIMENT, "sentiment.velocity",
                        "Customer sentiment fell from " + Fmt.num(first) + " to " + Fmt.num(score) + " over "
                                + Fmt.count(k, "turn", "turns") + " (" + Fmt.against(slope, c.velocityThreshold())
                                + " per turn, threshold " + Fmt.num(c.velocityThreshold()) + ")" + source,
                        in.turn.index(), null, Fmt.round2(slope), c.velocityThreshold()), c.priority(), null, false));
            }
        }
        return fired;
    }
}
