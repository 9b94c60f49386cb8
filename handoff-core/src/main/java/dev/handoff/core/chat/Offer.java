package dev.handoff.core.chat;

import dev.handoff.api.SessionId;
import dev.handoff.api.TransferRequest;

/**
 * A conversation offered to a human agent, reserved for the agent who took it from the queue. Exactly one of an
 * accept or the offer's expiry (or withdrawal) decides it; later calls are refused.
 */
public interface Offer {

    /**
     * The transfer request this offer carries; the accessors below read from it.
     *
     * @return the request
     */
    TransferRequest request();

    /**
     * The customer's session: {@code request().sessionId()}.
     *
     * @return the session id
     */
    default SessionId sessionId() {
        return request().sessionId();
    }

    /**
     * The id of the context to show the agent ({@code request().contextId()}); {@code Handoff.agentActions(contextId)}
     * acts on the handoff.
     *
     * @return the context id
     */
    default String contextId() {
        return request().contextId();
    }

    /**
     * The signed ticket that redeems the context: {@code request().ticket()}.
     *
     * @return the ticket
     */
    default String ticket() {
        return request().ticket();
    }

    /**
     * The agent takes the conversation.
     *
     * @return false when the offer expired or was withdrawn before the agent accepted (the customer went elsewhere)
     */
    boolean accept();

    /** The agent passes; the offer goes back to the front of the queue for the next agent. */
    void decline();
}
