package dev.handoff.core.trigger;

import java.util.HashSet;
import java.util.Set;

/** What {@link RuleTriggerEvaluator} remembers about one session; guarded by its own monitor. */
final class SessionState {

    int lowConfidenceRun;
    final double[] confidences;
    int confidenceCount;

    final double[] sentiments;
    int sentimentCount;

    int fallbackRun;

    final long[][] customerPrints;
    final int[] customerPrintLengths;
    int customerCount;

    final long[][] botPrints;
    final int[] botPrintLengths;
    int botCount;

    Set<String> intents;
    boolean sessionIntentsFired;
    boolean repeatContactFired;
    boolean durationFired;

    SessionState(TriggerPolicy policy) {
        confidences = new double[policy.confidence().rollingWindow()];
        sentiments = new double[policy.sentiment().velocityWindow()];
        int window = policy.loop().window();
        customerPrints = new long[window][RuleTriggerEvaluator.MAX_PRINT];
        customerPrintLengths = new int[window];
        botPrints = new long[window][RuleTriggerEvaluator.MAX_PRINT];
        botPrintLengths = new int[window];
    }

    Set<String> intents() {
        if (intents == null) {
            intents = new HashSet<>();
        }
        return intents;
    }
}
