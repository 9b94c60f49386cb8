package dev.handoff.core;

import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffFeedback.CommitmentVerdict;
import dev.handoff.api.HandoffFeedback.Verdict;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.core.json.ContextJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an agent's {@link HandoffFeedback} before anything is applied: the record's constraints with Hibernate
 * Validator (through {@link ContextJson}'s validator, the one the context uses), then what spans fields. A
 * correction's text is customer data: a violation on it names its length, never the text.
 */
final class FeedbackCheck {

    private static final Set<String> PRIVATE = Set.of("correctedValue");

    private FeedbackCheck() {
    }

    /**
     * @param transcriptSize the number of turns in the handoff's context (0 when unknown): {@code earlierTurn} must be
     *                       one of them
     * @throws ValidationException listing every violation; nothing was applied
     */
    static HandoffFeedback require(HandoffFeedback feedback, int transcriptSize) {
        List<Violation> violations = new ArrayList<>(ContextJson.get().validate(feedback, PRIVATE));
        if (feedback.escalation() != HandoffFeedback.Escalation.LATE && feedback.earlierTurn() != null) {
            violations.add(new Violation("$.earlierTurn", feedback.earlierTurn(), "only with escalation LATE (was " + feedback.escalation() + ")"));
        } else if (feedback.earlierTurn() != null && transcriptSize > 0 && feedback.earlierTurn() >= transcriptSize) {
            violations.add(new Violation("$.earlierTurn", feedback.earlierTurn(), "a turn of the transcript, 0 to " + (transcriptSize - 1)));
        }
        if (feedback.commitments() != null) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < feedback.commitments().size(); i++) {
                CommitmentVerdict v = feedback.commitments().get(i);
                if (v == null) {
                    continue;
                }
                String path = "$.commitments[" + i + "]";
                if (v.verdict() == Verdict.CORRECTED && v.correctedValue() == null) {
                    violations.add(new Violation(path + ".correctedValue", null, "the corrected value (1-200 characters) with verdict CORRECTED"));
                } else if (v.verdict() != null && v.verdict() != Verdict.CORRECTED && v.correctedValue() != null) {
                    violations.add(new Violation(path + ".correctedValue", v.correctedValue().length() + " characters",
                            "no value with verdict " + v.verdict()));
                } else if (v.correctedValue() != null && v.correctedValue().isBlank()) {
                    violations.add(new Violation(path + ".correctedValue", v.correctedValue().length() + " characters", "not blank"));
                }
                if (v.commitmentId() != null && !seen.add(v.commitmentId())) {
                    violations.add(new Violation(path + ".commitmentId", v.commitmentId(), "one verdict per commitment"));
                }
            }
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(Violation::path).thenComparing(Violation::expected));
            throw new ValidationException("handoff feedback", violations);
        }
        return feedback;
    }
}
