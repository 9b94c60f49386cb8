package dev.handoff.examples.sales;

import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.trigger.SimpleTriggerEvaluator;
import java.util.List;
import java.util.Locale;

/** The B2B sales triggers (seed 002): a technical objection goes to a solutions engineer. */
final class SalesTriggers {

    private SalesTriggers() {
    }

    /** The evaluator the demo uses. */
    static TriggerEvaluator evaluator() {
        SimpleTriggerEvaluator requests = new SimpleTriggerEvaluator();
        return new TriggerEvaluator() {
            @Override
            public HandoffDecision evaluate(ConversationView conversation, Turn turn) {
                if (turn.speaker() == Speaker.CUSTOMER) {
                    String lower = turn.text().toLowerCase(Locale.ROOT);
                    for (String phrase : List.of("api latency", "latency")) {
                        int at = lower.indexOf(phrase);
                        if (at >= 0) {
                            String span = turn.text().substring(at, at + phrase.length());
                            return HandoffDecision.handoff(Priority.NORMAL, List.of(new Reason(TriggerKind.COMPLEX_ISSUE,
                                    "complex.technical-objection", "Technical objection: \"" + span + "\"", turn.index(),
                                    new EvidenceSpan(at, at + phrase.length(), span), null, null)), "solutions-engineer");
                        }
                    }
                }
                return requests.evaluate(conversation, turn);
            }
        };
    }
}
