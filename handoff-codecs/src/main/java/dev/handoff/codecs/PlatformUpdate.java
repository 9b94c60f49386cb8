package dev.handoff.codecs;

import dev.handoff.api.spi.AgentActions;
import java.util.Objects;

/**
 * What a platform said back about a handoff (a status, the agent who took it, the outcome), in terms the bot host
 * can act on. Every parser in this module returns one.
 *
 * <p>Only {@link Kind#HANDED_BACK} is an agent-side action in Handoff's model: {@link #applyTo(AgentActions)} calls
 * {@link AgentActions#handBack}, which ends the handoff {@code RETURNED_TO_BOT} and gives the bot its line. The other
 * kinds are facts for the bot host: {@link Kind#AGENT_ASSIGNED} (log it, stop bridge content; if your agents read the
 * whisper in the platform's own UI before accepting, you may call {@code actions.confirmRead(update.agentId())}
 * yourself), {@link Kind#FAILED} (the platform could not take the conversation: the bot resumes), {@link Kind#ENDED}
 * (the conversation is over: end the session) and {@link Kind#OTHER} (no action).
 *
 * @param platform        the platform's name
 * @param kind            what happened
 * @param conversationRef the platform's id of the conversation (Bot Framework conversation id, TaskRouter task sid,
 *                        Connect contact id, Genesys conversation id, Chatwoot conversation id)
 * @param contextId       nullable; Handoff's context id when the platform echoed it back (task attributes)
 * @param agentId         nullable; the platform's id of the human (worker sid, agent ARN, user id, assignee id)
 * @param status          the platform's own word for it ({@code "accepted"}, {@code "reservation.accepted"},
 *                        {@code "CONNECTED_TO_AGENT"}, {@code "open"}), control characters removed
 * @param detail          nullable; the platform's message, reason or outcome, control characters removed
 */
public record PlatformUpdate(String platform, Kind kind, String conversationRef, String contextId, String agentId, String status,
                             String detail) {

    /** What happened, in Handoff's terms. */
    public enum Kind {
        /** A human took the conversation. */
        AGENT_ASSIGNED,
        /** The human gave the conversation back to the bot: maps to {@link AgentActions#handBack}. */
        HANDED_BACK,
        /** The platform could not hand off (no agent, cancelled): the bot resumes. */
        FAILED,
        /** The conversation (or the human's part of it, with its wrap-up) is over. */
        ENDED,
        /** A status that needs no action (queued, reserved, snoozed, an event this codec does not act on). */
        OTHER
    }

    public PlatformUpdate {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(conversationRef, "conversationRef");
        Objects.requireNonNull(status, "status");
    }

    /**
     * Performs the agent-side action this update stands for, if any: {@link Kind#HANDED_BACK} calls
     * {@code actions.handBack(agent, detail)} where agent is {@code "<platform>:<agentId>"} (or the platform's name
     * when it did not say who). Called on the thread that received the platform's webhook or event.
     *
     * @return true when an action was performed; false for every other kind (nothing is called)
     * @throws dev.handoff.api.NonRetriableHandoffException from {@code handBack} when the handoff has already ended
     */
    public boolean applyTo(AgentActions actions) {
        Objects.requireNonNull(actions, "actions");
        if (kind != Kind.HANDED_BACK) {
            return false;
        }
        actions.handBack(agentId == null ? platform : platform + ":" + agentId, detail == null ? "" : detail);
        return true;
    }
}
