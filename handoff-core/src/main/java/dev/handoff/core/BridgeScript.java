package dev.handoff.core;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Target;
import dev.handoff.api.context.HandoffContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every sentence Handoff gives the bot to say to the customer: while a human is summoned (the "latency void"), when
 * the customer waits in line, when the bot resumes because nobody could take the conversation, and when the human
 * hands it back. The orchestrator publishes the in-between lines as
 * {@link dev.handoff.api.event.HandoffEvent.BridgeMessage}s and the resuming line as
 * {@link HandoffOutcome#summaryForBot()} and {@link dev.handoff.api.event.HandoffEvent.ReturnedToBot#summaryForBot()}.
 *
 * <p>Implementations must be quick and must not throw. Returning empty says nothing at that moment, except for
 * {@link Stage#RESUMED} and {@link Stage#HANDED_BACK}, where the customer must hear something: an empty answer
 * there gets the {@link #standard()} line. On a silent alarm (a kill-switch trigger) the customer must never learn
 * that a handoff was tried, failed or succeeded: the standard script never mentions one.
 */
@FunctionalInterface
public interface BridgeScript {

    /** When a line is asked for. */
    enum Stage {
        /** The context is packaged; a human is being summoned. */
        STARTED,
        /** Every slot of this instance is busy: the customer waits in line at {@link Moment#position()}. */
        QUEUED,
        /** The first choice could not take it; {@link Moment#target()} is tried next. */
        RETRYING,
        /** The wait goes on; every {@link HandoffSettings#bridgeInterval() bridge interval}. */
        STILL_WAITING,
        /** Nobody could take it within the wait limit (or at all): the bot carries on. */
        RESUMED,
        /** The human gave the conversation back to the bot. */
        HANDED_BACK
    }

    /**
     * What is happening when a line is asked for.
     *
     * @param stage         the moment
     * @param decision      the decision that started the handoff ({@code SILENT_ALARM}: never mention a handoff)
     * @param context       nullable: the packaged context (absent before packaging, e.g. {@link Stage#QUEUED})
     * @param target        nullable: the target about to be tried ({@link Stage#RETRYING})
     * @param position      the place in line for {@link Stage#QUEUED} (1 is next), otherwise 0
     * @param remainingWait what is left of the customer's wait limit (zero when it has passed)
     * @param attempts      how many targets were tried so far
     */
    record Moment(Stage stage, HandoffDecision decision, @Nullable HandoffContext context, @Nullable Target target, int position,
                  Duration remainingWait, int attempts) {
        /**
         * Checks the moment; a negative {@code remainingWait} is stored as zero.
         *
         * @param stage         the moment
         * @param decision      the decision that started the handoff ({@code SILENT_ALARM}: never mention a handoff)
         * @param context       nullable: the packaged context (absent before packaging, e.g. {@link Stage#QUEUED})
         * @param target        nullable: the target about to be tried ({@link Stage#RETRYING})
         * @param position      the place in line for {@link Stage#QUEUED} (1 is next), otherwise 0
         * @param remainingWait what is left of the customer's wait limit (zero when it has passed)
         * @param attempts      how many targets were tried so far
         * @throws NullPointerException when {@code stage}, {@code decision} or {@code remainingWait} is null
         */
        public Moment {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(remainingWait, "remainingWait");
            if (remainingWait.isNegative()) {
                remainingWait = Duration.ZERO;
            }
        }

        /**
         * Whether the customer must not learn about the handoff.
         *
         * @return true for a {@code SILENT_ALARM} decision
         */
        public boolean silent() {
            return decision.action() == HandoffDecision.Action.SILENT_ALARM;
        }
    }

    /**
     * The line for one moment. Called on Handoff's threads; must be quick and must not block. A script that throws or
     * returns a blank line is replaced by {@link #standard()} for that moment (and the failure logged).
     *
     * @param moment the stage of the handoff and what is known at it
     * @return the line, or empty to say nothing at this moment
     */
    Optional<String> message(Moment moment);

    /**
     * The default script: says what was covered so the customer knows they will not repeat it, states how long the
     * wait can last, and on a silent alarm never mentions the handoff.
     *
     * @return the shared standard script
     */
    static BridgeScript standard() {
        return StandardBridgeScript.INSTANCE;
    }
}
