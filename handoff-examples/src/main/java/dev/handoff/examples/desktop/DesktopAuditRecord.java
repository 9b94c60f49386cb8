package dev.handoff.examples.desktop;

import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.Objects;

/**
 * One audit entry written by the {@link AgentDesktop}: who did what to which handoff context, when, and how it
 * ended. Carries identifiers only: never transcript text, never the agent's token, never customer field values or
 * corrected commitment values (those live in the commitment ledger, which has its own history).
 *
 * @param at           when it happened (from the desktop's clock)
 * @param agentId      nullable; the authenticated agent, or null when the request carried no valid token
 * @param action       what was attempted
 * @param outcome      how it ended
 * @param contextId    nullable; the handoff context concerned
 * @param sessionId    nullable; the conversation concerned
 * @param commitmentId nullable; the commitment concerned (commitment actions only)
 * @param channel      how it reached the desktop: {@code "websocket"}, {@code "http"}
 * @param detail       nullable; a fixed, non-sensitive explanation ({@code "ticket redeemed"}, {@code "unknown commitment"})
 */
public record DesktopAuditRecord(
        Instant at,
        String agentId,
        Action action,
        Outcome outcome,
        String contextId,
        SessionId sessionId,
        String commitmentId,
        String channel,
        String detail) {

    public DesktopAuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(channel, "channel");
    }

    /** What the agent (or an unauthenticated caller) attempted. */
    public enum Action {
        /** The context (whisper and preview over WebSocket, or the full document through a ticket) was shown to an agent. */
        VIEW_CONTEXT,
        /** The agent pressed "I've read it". */
        READ_CONFIRMED,
        /** The agent confirmed a commitment the AI made. */
        COMMITMENT_CONFIRMED,
        /** The agent corrected a commitment to another value. */
        COMMITMENT_CORRECTED,
        /** The agent revoked a commitment. */
        COMMITMENT_REVOKED,
        /** A page, API or WebSocket request presented no valid agent token. */
        AUTHENTICATE
    }

    /** How an attempt ended. */
    public enum Outcome {
        SUCCESS,
        /** Refused: no valid token, or the handoff is not routed to this agent. */
        DENIED,
        /** Accepted but could not be carried out (unknown context or commitment, bad input). */
        FAILED
    }
}
