package dev.handoff.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the human who took a handoff says about it afterwards: the loop that measures the trigger policy and the
 * observer on a team's own traffic. Given through {@link dev.handoff.api.spi.AgentActions#feedback}; it feeds the
 * KPIs (escalation accuracy, whisper accuracy per field, first-contact resolution, customer effort), its commitment
 * verdicts go to the ledger and back to the CRM, and it can be exported as labelled evaluation cases.
 *
 * <p>Constraints are checked by core with Hibernate Validator when the feedback is given; a bad value is refused with
 * a {@link ValidationException} naming the field, the value and what was expected. The only free text is a
 * correction's {@code correctedValue}: it is customer data, so it never reaches a log, an exception message or an
 * audit record (a violation on it names its length), and {@link #toString()} leaves it out.
 *
 * @param agentId        who gives it: 1-128 characters of letters, digits and {@code _ . @ -}
 * @param escalation     was the handoff needed
 * @param earlierTurn    nullable; with {@link Escalation#LATE} only: the transcript index of the turn at which the
 *                       handoff should have come (it labels the exported case; without it the case has no trigger label)
 * @param whisper        how accurate each field of the whisper and the ledger was; a field left out was not rated
 * @param commitments    the agent's verdict on the AI's commitments; one per commitment id at most
 * @param resolved       the case was resolved on this contact (first-contact resolution)
 * @param customerEffort nullable; the customer effort score the customer gave, 1 (very easy) to 7 (very hard)
 */
public record HandoffFeedback(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_.@\\-]{1,128}", message = "1-128 characters of letters, digits and _ . @ -") String agentId,
        @NotNull Escalation escalation,
        @PositiveOrZero @Nullable Integer earlierTurn,
        @NotNull Map<@NotNull WhisperField, @NotNull Accuracy> whisper,
        @NotNull @Size(max = 100) List<@NotNull @Valid CommitmentVerdict> commitments,
        boolean resolved,
        @Min(1) @Max(7) @Nullable Integer customerEffort) {

    /** Was the handoff needed. */
    public enum Escalation {
        /** Yes, at the right time. */
        NEEDED,
        /** No: the AI could have finished the conversation (a false alarm). */
        NOT_NEEDED,
        /** Yes, but it should have come earlier. */
        LATE
    }

    /** A field of what the agent read first: the whisper, then the semantic ledger. */
    public enum WhisperField {
        /** The whisper's goal line: what the customer wants. */
        GOAL,
        /** The whisper's obstacle: what stands in the way. */
        OBSTACLE,
        /** The whisper's sentiment line. */
        SENTIMENT,
        /** The opening line suggested to the agent. */
        OPENING_LINE,
        /** The ledger's budget. */
        BUDGET,
        /** The ledger's authority: who decides. */
        AUTHORITY,
        /** The ledger's need. */
        NEED,
        /** The ledger's timeline. */
        TIMELINE,
        /** The ledger's pain points. */
        PAIN_POINTS
    }

    /** Whether a field was right. */
    public enum Accuracy {
        /** The field was right. */
        ACCURATE,
        /** The field was wrong or misleading. */
        INACCURATE
    }

    /** The agent's verdict on one commitment. */
    public enum Verdict {
        /** The business honours it as made. */
        CONFIRMED,
        /** The business honours something else: {@link CommitmentVerdict#correctedValue()}. */
        CORRECTED,
        /** The AI should not have promised it. */
        REVOKED;

        /**
         * The ledger status this verdict leads to.
         *
         * @return the status of the same name
         */
        public Commitment.Status status() {
            return Commitment.Status.valueOf(name());
        }
    }

    /**
     * The agent's verdict on one commitment the AI made.
     *
     * @param commitmentId   the commitment's id in the ledger ({@code "c-1"})
     * @param verdict        what the agent decided
     * @param correctedValue with {@link Verdict#CORRECTED} only: what the customer actually gets, 1-200 characters;
     *                       customer data, never logged
     */
    public record CommitmentVerdict(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.\\-]{1,64}", message = "1-64 characters of letters, digits and _ . -") String commitmentId,
            @NotNull Verdict verdict,
            @Size(min = 1, max = 200) @Nullable String correctedValue) {

        /**
         * The business honours the commitment as made.
         *
         * @param commitmentId the commitment's id in the ledger
         * @return the verdict
         */
        public static CommitmentVerdict confirmed(String commitmentId) {
            return new CommitmentVerdict(commitmentId, Verdict.CONFIRMED, null);
        }

        /**
         * The business honours something else.
         *
         * @param commitmentId   the commitment's id in the ledger
         * @param correctedValue what the customer actually gets, 1-200 characters; customer data, never logged
         * @return the verdict
         */
        public static CommitmentVerdict corrected(String commitmentId, String correctedValue) {
            return new CommitmentVerdict(commitmentId, Verdict.CORRECTED, correctedValue);
        }

        /**
         * The AI should not have promised it.
         *
         * @param commitmentId the commitment's id in the ledger
         * @return the verdict
         */
        public static CommitmentVerdict revoked(String commitmentId) {
            return new CommitmentVerdict(commitmentId, Verdict.REVOKED, null);
        }

        /** Leaves the corrected value out: it is customer data. */
        @Override
        public String toString() {
            return "CommitmentVerdict[" + commitmentId + " " + verdict + (correctedValue == null ? "" : " (" + correctedValue.length()
                    + " characters)") + "]";
        }
    }

    /**
     * Copies the map and the list; validation happens where the feedback is given.
     *
     * @param agentId        who gives it
     * @param escalation     was the handoff needed
     * @param earlierTurn    with {@link Escalation#LATE} only: the turn at which it should have come
     * @param whisper        how accurate each rated field was
     * @param commitments    the verdicts on the AI's commitments
     * @param resolved       resolved on this contact
     * @param customerEffort the customer effort score, 1 to 7
     */
    public HandoffFeedback {
        whisper = whisper == null ? null : Map.copyOf(whisper);
        commitments = commitments == null ? null : List.copyOf(commitments);
    }

    /**
     * Starts feedback on whether the handoff was needed; nothing else rated yet.
     *
     * @param agentId    who gives it
     * @param escalation was the handoff needed
     * @return a builder
     */
    public static Builder builder(String agentId, Escalation escalation) {
        return new Builder(agentId, escalation);
    }

    /** Leaves corrected values out: they are customer data. */
    @Override
    public String toString() {
        return "HandoffFeedback[" + agentId + ", " + escalation + (earlierTurn == null ? "" : " at turn " + earlierTurn) + ", whisper "
                + whisper + ", commitments " + commitments + ", resolved " + resolved + ", effort " + customerEffort + "]";
    }

    /** Builds a {@link HandoffFeedback}; defaults: nothing rated, no commitment verdicts, not resolved, no effort score. */
    public static final class Builder {
        private final String agentId;
        private final Escalation escalation;
        private Integer earlierTurn;
        private final Map<WhisperField, Accuracy> whisper = new EnumMap<>(WhisperField.class);
        private final List<CommitmentVerdict> commitments = new java.util.ArrayList<>();
        private boolean resolved;
        private Integer customerEffort;

        private Builder(String agentId, Escalation escalation) {
            this.agentId = agentId;
            this.escalation = escalation;
        }

        /**
         * With {@link Escalation#LATE}: the turn at which the handoff should have come.
         *
         * @param value the transcript index of that turn, 0 or more
         * @return this builder
         */
        public Builder earlierTurn(int value) {
            this.earlierTurn = value;
            return this;
        }

        /**
         * Rates one field of the whisper or the ledger.
         *
         * @param field    the field
         * @param accuracy whether it was right
         * @return this builder
         */
        public Builder whisper(WhisperField field, Accuracy accuracy) {
            whisper.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(accuracy, "accuracy"));
            return this;
        }

        /**
         * Adds the verdict on one commitment.
         *
         * @param verdict the verdict
         * @return this builder
         */
        public Builder commitment(CommitmentVerdict verdict) {
            commitments.add(Objects.requireNonNull(verdict, "verdict"));
            return this;
        }

        /**
         * Whether the case was resolved on this contact.
         *
         * @param value true for a first-contact resolution
         * @return this builder
         */
        public Builder resolved(boolean value) {
            this.resolved = value;
            return this;
        }

        /**
         * The customer effort score the customer gave.
         *
         * @param value 1 (very easy) to 7 (very hard)
         * @return this builder
         */
        public Builder customerEffort(int value) {
            this.customerEffort = value;
            return this;
        }

        /**
         * Builds it; validation happens where it is given ({@link dev.handoff.api.spi.AgentActions#feedback}).
         *
         * @return the feedback
         */
        public HandoffFeedback build() {
            return new HandoffFeedback(agentId, escalation, earlierTurn, whisper, commitments, resolved, customerEffort);
        }
    }
}
