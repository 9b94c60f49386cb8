package dev.handoff.core.chat;

import dev.handoff.api.SessionId;
import dev.handoff.api.TransferRequest;

/**
 * A conversation offered to a human agent, reserved for the agent who took it from the queue. Exactly one of an
 * accept or the offer's expiry (or withdrawal) decides it; later calls are refused.
 */
public interface Offer {

    SessionId sessionId();

    /** The id of the context to show the agent; {@code Handoff.agentActions(contextId)} acts on the handoff. */
    String contextId();

    /** The signed ticket that redeems the context. */
    String ticket();

    TransferRequest request();

    /**
     * The agent takes the conversation.
     *
     * @return false when the offer expired or was withdrawn before the agent accepted (the customer went elsewhere)
     */
    boolean accept();

    /** The agent passes; the offer goes back to the front of the queue for the next agent. */
    void decline();
}
