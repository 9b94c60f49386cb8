package dev.handoff.api.event;

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

    /** The conversation. */
    SessionId sessionId();

    /** When it happened, on the injected clock. */
    Instant at();

    /** The bot recorded a turn. */
    record TurnRecorded(SessionId sessionId, Instant at, Turn turn) implements HandoffEvent {
        public TurnRecorded {
            check(sessionId, at);
        }
    }

    /** The trigger evaluator decided to hand off (phase 1). */
    record HandoffRequested(SessionId sessionId, Instant at, HandoffDecision decision) implements HandoffEvent {
        public HandoffRequested {
            check(sessionId, at);
        }
    }

    /**
     * The instance already runs its limit of handoffs in flight: this one waits in line and starts as soon as
     * another ends, or returns to the bot when the customer's wait limit passes first.
     *
     * @param position 1 for the next to start
     * @param maxWait  the most the customer will wait in all, from the request
     */
    record HandoffQueued(SessionId sessionId, Instant at, int position, Duration maxWait) implements HandoffEvent {
        public HandoffQueued {
            check(sessionId, at);
            if (position < 1) {
                throw new IllegalArgumentException("queue position must be at least 1, was " + position);
            }
            Objects.requireNonNull(maxWait, "maxWait");
        }
    }

    /** The context was packaged, signed and stored (phase 2). */
    record ContextPackaged(SessionId sessionId, Instant at, String contextId, String ticket, int bytes) implements HandoffEvent {
        public ContextPackaged {
            check(sessionId, at);
        }
    }

    /** The router chose a route with its fallback chain. */
    record RouteSelected(SessionId sessionId, Instant at, Route route) implements HandoffEvent {
        public RouteSelected {
            check(sessionId, at);
        }
    }

    /** The three-party preflight ran for one target. */
    record PreflightChecked(SessionId sessionId, Instant at, Target target, PreflightResult result) implements HandoffEvent {
        public PreflightChecked {
            check(sessionId, at);
        }
    }

    /** The agent side was given the context (phase 4). */
    record AgentNotified(SessionId sessionId, Instant at, Target target, String contextId) implements HandoffEvent {
        public AgentNotified {
            check(sessionId, at);
        }
    }

    /** A transfer attempt began (phase 3). */
    record TransferStarted(SessionId sessionId, Instant at, Target target, TransferMode mode) implements HandoffEvent {
        public TransferStarted {
            check(sessionId, at);
        }
    }

    /** The protocol reported progress (SIP 202, each NOTIFY sipfrag, an offer made to an agent). */
    record TransferProgress(SessionId sessionId, Instant at, Target target, int code, String detail) implements HandoffEvent {
        public TransferProgress {
            check(sessionId, at);
        }
    }

    /** One attempt failed; {@code nextTarget} is the fallback that will be tried, or null when none is left. */
    record TransferFailed(SessionId sessionId, Instant at, TransferResult result, Target nextTarget) implements HandoffEvent {
        public TransferFailed {
            check(sessionId, at);
        }
    }

    /** A human has the conversation; the bot must stop speaking now (phase 5). */
    record HandoffCompleted(SessionId sessionId, Instant at, TransferResult result, Duration sinceRequested) implements HandoffEvent {
        public HandoffCompleted {
            check(sessionId, at);
        }
    }

    /** No human could be reached or the human gave it back: the bot owns the conversation again. */
    record ReturnedToBot(SessionId sessionId, Instant at, String reason, String summaryForBot) implements HandoffEvent {
        public ReturnedToBot {
            check(sessionId, at);
        }
    }

    /** A human confirmed, corrected or revoked one of the AI's commitments. */
    record CommitmentUpdated(SessionId sessionId, Instant at, Commitment commitment) implements HandoffEvent {
        public CommitmentUpdated {
            check(sessionId, at);
        }
    }

    /**
     * The verification deadline passed (by default 60 seconds after the agent connected) and these commitments are
     * still pending: the human has not confirmed, corrected or revoked them.
     *
     * @param pending  the commitments still {@link Commitment.Status#PENDING_VERIFICATION}, in the order made
     * @param deadline when verification was due
     */
    record CommitmentOverdue(SessionId sessionId, Instant at, java.util.List<Commitment> pending, Instant deadline) implements HandoffEvent {
        public CommitmentOverdue {
            check(sessionId, at);
            pending = java.util.List.copyOf(pending);
            Objects.requireNonNull(deadline, "deadline");
        }
    }

    /** The session ended, explicitly or by idle timeout. */
    record SessionEnded(SessionId sessionId, Instant at, String reason) implements HandoffEvent {
        public SessionEnded {
            check(sessionId, at);
        }
    }

    /**
     * The handoff entered a phase. {@code sequence} grows by one per phase change of this handoff, so a consumer
     * can drop duplicates and detect gaps.
     */
    record PhaseChanged(SessionId sessionId, Instant at, String handoffId, HandoffPhase phase, long sequence) implements HandoffEvent {
        public PhaseChanged {
            check(sessionId, at);
            Objects.requireNonNull(handoffId, "handoffId");
            Objects.requireNonNull(phase, "phase");
        }
    }

    /**
     * Something the bot should say to the customer while a human is being summoned (the "latency void"):
     * progress, a summary of what was covered, relevant content. Only while the bot still owns the conversation.
     */
    record BridgeMessage(SessionId sessionId, Instant at, String text) implements HandoffEvent {
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
     * @param handoffId the handoff that gave the human the conversation
     * @param agentId   who wrote it
     * @param turn      the recorded turn: its index in the transcript, the text, when
     */
    record AgentMessage(SessionId sessionId, Instant at, String handoffId, String agentId, Turn turn) implements HandoffEvent {
        public AgentMessage {
            check(sessionId, at);
            Objects.requireNonNull(handoffId, "handoffId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(turn, "turn");
        }
    }

    /** The agent confirmed reading the whisper and history. */
    record ContextRead(SessionId sessionId, Instant at, String contextId, String agentId) implements HandoffEvent {
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
