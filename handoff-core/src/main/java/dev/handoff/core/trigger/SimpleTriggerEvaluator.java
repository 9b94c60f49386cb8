package dev.handoff.core.trigger;

import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.TriggerEvaluator;
import java.util.List;
import java.util.Locale;

/**
 * The walking-skeleton evaluator: hands off when the customer asks for a person, or when the bot's
 * confidence on a turn falls under a hard floor. Never throws.
 */
public final class SimpleTriggerEvaluator implements TriggerEvaluator {

    /** Default hard confidence floor: under it the bot hands off at once. */
    public static final double DEFAULT_CONFIDENCE_FLOOR = 0.40;

    private static final List<String> REQUESTS = List.of(
            "talk to a person", "speak to a person", "talk to a human", "speak to a human", "want a human",
            "real person", "transfer me to an agent", "talk to an agent", "speak to an agent", "representative",
            "operator", "live agent", "human agent");

    private final double confidenceFloor;

    public SimpleTriggerEvaluator() {
        this(DEFAULT_CONFIDENCE_FLOOR);
    }

    public SimpleTriggerEvaluator(double confidenceFloor) {
        if (!(confidenceFloor >= 0 && confidenceFloor <= 1)) {
            throw new IllegalArgumentException("confidence floor must be within 0..1, was " + confidenceFloor);
        }
        this.confidenceFloor = confidenceFloor;
    }

    @Override
    public HandoffDecision evaluate(ConversationView conversation, Turn turn) {
        if (turn == null || turn.text() == null) {
            return HandoffDecision.proceed();
        }
        if (turn.speaker() == Speaker.CUSTOMER) {
            String lower = turn.text().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
            for (String phrase : REQUESTS) {
                int at = lower.indexOf(phrase);
                if (at >= 0) {
                    String span = turn.text().substring(at, at + phrase.length());
                    return HandoffDecision.handoff(Priority.NORMAL, List.of(new Reason(TriggerKind.EXPLICIT_REQUEST,
                            "explicit.request", "The customer asked for a person: \"" + span + "\"", turn.index(),
                            new EvidenceSpan(at, at + phrase.length(), span), null, null)), null);
                }
            }
        }
        Double confidence = turn.signalsOrNone().confidence();
        if (confidence != null && confidence < confidenceFloor) {
            return HandoffDecision.handoff(Priority.NORMAL, List.of(new Reason(TriggerKind.CONFIDENCE, "confidence.floor",
                    "Bot confidence " + confidence + " is under the hard floor " + confidenceFloor, turn.index(), null,
                    confidence, confidenceFloor)), null);
        }
        return HandoffDecision.proceed();
    }
}
