package dev.handoff.examples.dental;

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

/** The dental practice's triggers (seed 000, step 2): "pain" or "emergency" is urgent. */
final class DentalTriggers {

    private DentalTriggers() {
    }

    /** The evaluator the demo uses. */
    static TriggerEvaluator evaluator() {
        SimpleTriggerEvaluator requests = new SimpleTriggerEvaluator();
        return new TriggerEvaluator() {
            @Override
            public HandoffDecision evaluate(ConversationView conversation, Turn turn) {
                if (turn.speaker() == Speaker.CUSTOMER) {
                    String lower = turn.text().toLowerCase(Locale.ROOT);
                    for (String word : List.of("pain", "emergency")) {
                        int at = lower.indexOf(word);
                        if (at >= 0) {
                            return HandoffDecision.handoff(Priority.URGENT, List.of(new Reason(TriggerKind.URGENCY, "dental.pain",
                                    "The caller reports a dental emergency: \"" + word + "\"", turn.index(),
                                    new EvidenceSpan(at, at + word.length(), turn.text().substring(at, at + word.length())), null, null)),
                                    "clinical-staff");
                        }
                    }
                }
                return requests.evaluate(conversation, turn);
            }
        };
    }
}
