package dev.handoff.core;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferResult;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one handoff ended. Every handoff ends with one of these, never with silence.
 *
 * @param sessionId     the conversation
 * @param status        {@link Status#CONNECTED}: a human owns it; {@link Status#RETURNED_TO_BOT}: the bot resumes
 * @param cause         why it ended so ({@link Cause#CONNECTED} when connected)
 * @param contextId     nullable when it ended before packaging; the stored context
 * @param ticket        nullable when it ended before packaging; the ticket that redeems it
 * @param attempts      every transfer attempt in order (the last one connected when status is CONNECTED)
 * @param elapsed       from the handoff request to the end
 * @param summaryForBot what the bot says to the customer as it resumes (from the {@link BridgeScript}); empty when
 *                      connected
 */
public record HandoffOutcome(SessionId sessionId, Status status, Cause cause, @Nullable String contextId, @Nullable String ticket,
                             List<TransferResult> attempts, Duration elapsed, String summaryForBot) {

    /** Who has the conversation now. */
    public enum Status {
        /** A human has it; the bot must stay silent. */
        CONNECTED,
        /** The bot has it again and resumes with {@link HandoffOutcome#summaryForBot()}. */
        RETURNED_TO_BOT
    }

    /** Why the handoff ended as it did. */
    public enum Cause {
        /** A human took it. */
        CONNECTED,
        /** Every target of the route was tried and none took it. */
        NO_TARGET_AVAILABLE,
        /** The customer's wait limit ({@link HandoffSettings#maxWait()}) passed first. */
        WAIT_LIMIT,
        /** This instance ran its limit of handoffs and its waiting line was full. */
        OVER_CAPACITY,
        /** The session ended (the customer left) while the handoff ran. */
        SESSION_ENDED,
        /** The Handoff was closed while the handoff ran. */
        SHUT_DOWN,
        /**
         * A store or service the handoff needs did not answer (a database outage: a
         * {@link dev.handoff.api.RetriableHandoffException}); asking again later may work.
         */
        UNAVAILABLE,
        /** A component failed unexpectedly; the details are in the log. */
        INTERNAL_ERROR,
        /**
         * The instance that ran the handoff died (or lost its lease) and the instance that took it over could not
         * complete it: the customer is back with the bot ({@link HandoffOwnership}).
         */
        OWNER_LOST
    }

    /**
     * Checks the outcome and copies {@code attempts}.
     *
     * @param sessionId     the conversation
     * @param status        {@link Status#CONNECTED}: a human owns it; {@link Status#RETURNED_TO_BOT}: the bot resumes
     * @param cause         why it ended so ({@link Cause#CONNECTED} when connected)
     * @param contextId     nullable when it ended before packaging; the stored context
     * @param ticket        nullable when it ended before packaging; the ticket that redeems it
     * @param attempts      every transfer attempt in order (the last one connected when status is CONNECTED)
     * @param elapsed       from the handoff request to the end
     * @param summaryForBot what the bot says to the customer as it resumes (from the {@link BridgeScript}); empty when
     *                      connected
     * @throws NullPointerException     when a component is null
     * @throws IllegalArgumentException when {@code status} is CONNECTED and {@code cause} is not, or the reverse
     */
    public HandoffOutcome {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(cause, "cause");
        if ((status == Status.CONNECTED) != (cause == Cause.CONNECTED)) {
            throw new IllegalArgumentException("status " + status + " does not go with cause " + cause);
        }
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(summaryForBot, "summaryForBot");
    }

    /**
     * The attempt that connected.
     *
     * @return the first connected attempt, or empty when none connected
     */
    public Optional<TransferResult> connected() {
        return attempts.stream().filter(TransferResult::connected).findFirst();
    }
}
