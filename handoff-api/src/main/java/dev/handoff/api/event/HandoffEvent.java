package dev.handoff.api.event;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.PreflightResult;
import dev.handoff.api.Route;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A lifecycle event of one conversation's handoff. The hierarchy is sealed so a {@code switch} over it is
 * checked for completeness. Events of one session reach each {@link HandoffListener} one at a time and in the
 * order they happened (a handoff's {@link PhaseChanged} sequence numbers arrive in order, with no gaps), even
 * when many handoffs run at once on many threads; events of different sessions may interleave. A listener that
 * throws is logged and does not affect other listeners or the handoff.
 */
public sealed interface HandoffEvent {

    /**
     * The conversation.
     *
     * @return the session the event belongs to
     */
    SessionId sessionId();

    /**
     * When it happened, on the injected clock.
     *
     * @return the instant the event was produced
     */
    Instant at();

    /**
     * A turn was recorded: the bot's, the customer's, or a human's in a chat handoff.
     *
     * @param sessionId the conversation
     * @param at        when it was recorded
     * @param turn      the turn, as appended to the transcript
     */
    record TurnRecorded(SessionId sessionId, Instant at, Turn turn) implements HandoffEvent {
        /**
         * Checks the event.
         *
         * @param sessionId the conversation
         * @param at        when it was recorded
         * @param turn      the turn, as appended to the transcript
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public TurnRecorded {
            check(sessionId, at);
        }
    }

    /**
     * The trigger evaluator, or the bot host through {@code HandoffSession.requestHandoff}, decided to hand off
     * (phase 1).
     *
     * @param sessionId the conversation
     * @param at        when the handoff was requested
     * @param decision  the decision with every reason
     */
    record HandoffRequested(SessionId sessionId, Instant at, HandoffDecision decision) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when the handoff was requested
         * @param decision  the decision with every reason
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public HandoffRequested {
            check(sessionId, at);
        }
    }

    /**
     * The instance already runs its limit of handoffs in flight: this one waits in line and starts as soon as
     * another ends, or returns to the bot when the customer's wait limit passes first.
     *
     * @param sessionId the conversation
     * @param at        when it was queued
     * @param position  1 for the next to start
     * @param maxWait   the most the customer will wait in all, from the request
     */
    record HandoffQueued(SessionId sessionId, Instant at, int position, Duration maxWait) implements HandoffEvent {
        /**
         * Checks the event.
         *
         * @param sessionId the conversation
         * @param at        when it was queued
         * @param position  1 for the next to start
         * @param maxWait   the most the customer will wait in all, from the request
         * @throws NullPointerException     when {@code sessionId}, {@code at} or {@code maxWait} is null
         * @throws IllegalArgumentException when {@code position} is less than 1
         */
        public HandoffQueued {
            check(sessionId, at);
            if (position < 1) {
                throw new IllegalArgumentException("queue position must be at least 1, was " + position);
            }
            Objects.requireNonNull(maxWait, "maxWait");
        }
    }

    /**
     * The context was packaged, signed and stored (phase 2).
     *
     * @param sessionId the conversation
     * @param at        when it was stored
     * @param contextId the stored context's id
     * @param ticket    the signed ticket the receiving side redeems for it
     * @param bytes     the size of the signed document in bytes
     */
    record ContextPackaged(SessionId sessionId, Instant at, String contextId, String ticket, int bytes) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when it was stored
         * @param contextId the stored context's id
         * @param ticket    the signed ticket the receiving side redeems for it
         * @param bytes     the size of the signed document in bytes
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public ContextPackaged {
            check(sessionId, at);
        }
    }

    /**
     * The router chose a route with its fallback chain.
     *
     * @param sessionId the conversation
     * @param at        when it was chosen
     * @param route     the targets in order, the priority and why
     */
    record RouteSelected(SessionId sessionId, Instant at, Route route) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when it was chosen
         * @param route     the targets in order, the priority and why
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public RouteSelected {
            check(sessionId, at);
        }
    }

    /**
     * The three-party preflight ran for one target.
     *
     * @param sessionId the conversation
     * @param at        when it finished
     * @param target    the target checked
     * @param result    what each party answered
     */
    record PreflightChecked(SessionId sessionId, Instant at, Target target, PreflightResult result) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when it finished
         * @param target    the target checked
         * @param result    what each party answered
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public PreflightChecked {
            check(sessionId, at);
        }
    }

    /**
     * The agent side was given the context (phase 4).
     *
     * @param sessionId the conversation
     * @param at        when the notifier returned
     * @param target    the target notified
     * @param contextId the context it was given
     */
    record AgentNotified(SessionId sessionId, Instant at, Target target, String contextId) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when the notifier returned
         * @param target    the target notified
         * @param contextId the context it was given
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public AgentNotified {
            check(sessionId, at);
        }
    }

    /**
     * A transfer attempt began (phase 3).
     *
     * @param sessionId the conversation
     * @param at        when it began
     * @param target    the target tried
     * @param mode      cold or warm
     */
    record TransferStarted(SessionId sessionId, Instant at, Target target, TransferMode mode) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when it began
         * @param target    the target tried
         * @param mode      cold or warm
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public TransferStarted {
            check(sessionId, at);
        }
    }

    /**
     * The protocol reported progress (SIP 202, each NOTIFY sipfrag, an offer made to an agent).
     *
     * @param sessionId the conversation
     * @param at        when the progress was reported
     * @param target    the target being tried
     * @param code      the protocol status (a SIP status code; chat queues use SIP-like codes)
     * @param detail    a human-readable description
     */
    record TransferProgress(SessionId sessionId, Instant at, Target target, int code, String detail) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when the progress was reported
         * @param target    the target being tried
         * @param code      the protocol status (a SIP status code; chat queues use SIP-like codes)
         * @param detail    a human-readable description
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public TransferProgress {
            check(sessionId, at);
        }
    }

    /**
     * One attempt failed.
     *
     * @param sessionId  the conversation
     * @param at         when the failure was handled
     * @param result     how the attempt ended
     * @param nextTarget nullable; the fallback that will be tried next, or null when none is left
     */
    record TransferFailed(SessionId sessionId, Instant at, TransferResult result, @Nullable Target nextTarget) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId  the conversation
         * @param at         when the failure was handled
         * @param result     how the attempt ended
         * @param nextTarget nullable; the fallback that will be tried next, or null when none is left
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public TransferFailed {
            check(sessionId, at);
        }
    }

    /**
     * A human has the conversation; the bot must stop speaking now (phase 5).
     *
     * @param sessionId      the conversation
     * @param at             when it connected
     * @param result         the connected attempt
     * @param sinceRequested time from {@link HandoffRequested} to now
     */
    record HandoffCompleted(SessionId sessionId, Instant at, TransferResult result, Duration sinceRequested) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId      the conversation
         * @param at             when it connected
         * @param result         the connected attempt
         * @param sinceRequested time from {@link HandoffRequested} to now
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public HandoffCompleted {
            check(sessionId, at);
        }
    }

    /**
     * No human could be reached or the human gave it back: the bot owns the conversation again.
     *
     * @param sessionId     the conversation
     * @param at            when the bot got it back
     * @param reason        why, as a cause code and a sentence ({@code "NO_TARGET_ACCEPTED: ..."},
     *                      {@code "handed back by ..."})
     * @param summaryForBot the line the bot says to the customer as it resumes (from the bridge script)
     */
    record ReturnedToBot(SessionId sessionId, Instant at, String reason, String summaryForBot) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId     the conversation
         * @param at            when the bot got it back
         * @param reason        why, as a cause code and a sentence ({@code "NO_TARGET_ACCEPTED: ..."},
         *                      {@code "handed back by ..."})
         * @param summaryForBot the line the bot says to the customer as it resumes (from the bridge script)
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public ReturnedToBot {
            check(sessionId, at);
        }
    }

    /**
     * A human confirmed, corrected or revoked one of the AI's commitments.
     *
     * @param sessionId  the conversation
     * @param at         when the ledger recorded it
     * @param commitment the commitment after the change
     */
    record CommitmentUpdated(SessionId sessionId, Instant at, Commitment commitment) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId  the conversation
         * @param at         when the ledger recorded it
         * @param commitment the commitment after the change
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public CommitmentUpdated {
            check(sessionId, at);
        }
    }

    /**
     * The verification deadline passed (by default 60 seconds after the agent connected) and these commitments are
     * still pending: the human has not confirmed, corrected or revoked them.
     *
     * @param sessionId the conversation
     * @param at        when the overdue check ran
     * @param pending   the commitments still {@link Commitment.Status#PENDING_VERIFICATION}, in the order made
     * @param deadline  when verification was due
     */
    record CommitmentOverdue(SessionId sessionId, Instant at, java.util.List<Commitment> pending, Instant deadline) implements HandoffEvent {
        /**
         * Checks the event and copies {@code pending}.
         *
         * @param sessionId the conversation
         * @param at        when the overdue check ran
         * @param pending   the commitments still {@link Commitment.Status#PENDING_VERIFICATION}, in the order made
         * @param deadline  when verification was due
         * @throws NullPointerException when {@code sessionId}, {@code at}, {@code pending} or {@code deadline} is null
         */
        public CommitmentOverdue {
            check(sessionId, at);
            pending = java.util.List.copyOf(pending);
            Objects.requireNonNull(deadline, "deadline");
        }
    }

    /**
     * The session ended, explicitly or by idle timeout.
     *
     * @param sessionId the conversation
     * @param at        when it ended
     * @param reason    why: what the caller passed to {@code HandoffSession.end}, or {@code "idle for PT30M"}
     */
    record SessionEnded(SessionId sessionId, Instant at, String reason) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when it ended
         * @param reason    why: what the caller passed to {@code HandoffSession.end}, or {@code "idle for PT30M"}
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public SessionEnded {
            check(sessionId, at);
        }
    }

    /**
     * The handoff entered a phase. {@code sequence} grows by one per phase change of this handoff, so a consumer
     * can drop duplicates and detect gaps.
     *
     * @param sessionId the conversation
     * @param at        when the phase was entered
     * @param handoffId the handoff (one session may hand off more than once)
     * @param phase     the phase entered
     * @param sequence  1 for the first phase change of this handoff, then one more per change
     */
    record PhaseChanged(SessionId sessionId, Instant at, String handoffId, HandoffPhase phase, long sequence) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when the phase was entered
         * @param handoffId the handoff (one session may hand off more than once)
         * @param phase     the phase entered
         * @param sequence  1 for the first phase change of this handoff, then one more per change
         * @throws NullPointerException when {@code sessionId}, {@code at}, {@code handoffId} or {@code phase} is null
         */
        public PhaseChanged {
            check(sessionId, at);
            Objects.requireNonNull(handoffId, "handoffId");
            Objects.requireNonNull(phase, "phase");
        }
    }

    /**
     * Something the bot should say to the customer while a human is being summoned (the "latency void"):
     * progress, a summary of what was covered, relevant content. Only while the bot still owns the conversation.
     *
     * @param sessionId the conversation
     * @param at        when the bridge script produced it
     * @param text      what to say
     */
    record BridgeMessage(SessionId sessionId, Instant at, String text) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when the bridge script produced it
         * @param text      what to say
         * @throws NullPointerException when {@code sessionId}, {@code at} or {@code text} is null
         */
        public BridgeMessage {
            check(sessionId, at);
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A human who owns a chat sent the customer a message (the two-way relay of a chat handoff). The bot host delivers
     * {@code turn().text()} to the customer as the human's words, and keeps recording the customer's answers on the
     * session ({@code HandoffSession.customer}), which reach the human as {@link TurnRecorded} events. The same turn is
     * in the session's transcript (speaker {@code AGENT}), published just before as a {@link TurnRecorded}.
     *
     * @param sessionId the conversation
     * @param at        when the message was recorded
     * @param handoffId the handoff that gave the human the conversation
     * @param agentId   who wrote it
     * @param turn      the recorded turn: its index in the transcript, the text, when
     */
    record AgentMessage(SessionId sessionId, Instant at, String handoffId, String agentId, Turn turn) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when the message was recorded
         * @param handoffId the handoff that gave the human the conversation
         * @param agentId   who wrote it
         * @param turn      the recorded turn: its index in the transcript, the text, when
         * @throws NullPointerException when any component is null
         */
        public AgentMessage {
            check(sessionId, at);
            Objects.requireNonNull(handoffId, "handoffId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(turn, "turn");
        }
    }

    /**
     * The agent confirmed reading the whisper and history.
     *
     * @param sessionId the conversation
     * @param at        when they confirmed
     * @param contextId the context they read
     * @param agentId   who read it
     */
    record ContextRead(SessionId sessionId, Instant at, String contextId, String agentId) implements HandoffEvent {
        /**
         * Checks the record.
         *
         * @param sessionId the conversation
         * @param at        when they confirmed
         * @param contextId the context they read
         * @param agentId   who read it
         * @throws NullPointerException when {@code sessionId} or {@code at} is null
         */
        public ContextRead {
            check(sessionId, at);
        }
    }

    private static void check(SessionId sessionId, Instant at) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
    }

    /**
     * A human gave feedback on a handoff ({@code AgentActions.feedback}); Handoff's KPIs come from it
     * ({@code handoff.feedback.*} in core's metrics). Carries a correction's text when the agent corrected a commitment:
     * customer data, never to be logged.
     *
     * @param handoffId   the handoff it is about
     * @param contextId   its packaged context
     * @param leadingKind nullable; the trigger kind that led the handoff's decision
     */
    record FeedbackGiven(SessionId sessionId, Instant at, String handoffId, String contextId, dev.handoff.api.TriggerKind leadingKind,
                         dev.handoff.api.HandoffFeedback feedback) implements HandoffEvent {
    }
}
