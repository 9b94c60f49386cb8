package dev.handoff.core;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;

/** A turn was recorded on a session that was ended or timed out. */
public final class SessionEndedException extends NonRetriableHandoffException {

    /** The session that refused the turn. */
    private final SessionId sessionId;

    SessionEndedException(SessionId sessionId, String reason) {
        super("session " + sessionId + " has ended (" + reason + "); open a new session");
        this.sessionId = sessionId;
    }

    /**
     * The session that refused the turn.
     *
     * @return its id
     */
    public SessionId sessionId() {
        return sessionId;
    }
}
