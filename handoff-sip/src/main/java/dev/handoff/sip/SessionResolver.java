package dev.handoff.sip;

import dev.handoff.api.SessionId;
import java.util.Objects;

/**
 * Maps a new incoming INVITE to the {@link SessionId} of the conversation the bot keeps for it, so a later
 * {@link dev.handoff.api.TransferRequest} for that session finds the call leg.
 *
 * <p>Called by the {@link SipUserAgent} on one of its worker threads for every new inbound call, before it is
 * answered; must not block. Throwing an exception rejects the call with {@code 400 Bad Request} and the message as
 * reason phrase.
 */
@FunctionalInterface
public interface SessionResolver {

    /** The header read by {@link #headerOrCallId()}. */
    String DEFAULT_SESSION_HEADER = "X-Handoff-Session";

    SessionId resolve(IncomingInvite invite);

    /**
     * The default: the value of {@value #DEFAULT_SESSION_HEADER} when present (it must be a valid session id), else
     * the Call-ID with every character outside {@code [A-Za-z0-9._:-]} replaced by {@code -} and cut to 128.
     */
    static SessionResolver headerOrCallId() {
        return header(DEFAULT_SESSION_HEADER);
    }

    /** Like {@link #headerOrCallId()} with another header name. */
    static SessionResolver header(String headerName) {
        Objects.requireNonNull(headerName, "headerName");
        return invite -> {
            String value = invite.header(headerName);
            if (value != null && !value.isBlank()) {
                try {
                    return SessionId.of(value.trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(headerName + ": " + e.getMessage(), e);
                }
            }
            return callId().resolve(invite);
        };
    }

    /** The Call-ID, with characters outside {@code [A-Za-z0-9._:-]} replaced by {@code -} and cut to 128. */
    static SessionResolver callId() {
        return invite -> {
            String cleaned = invite.callId().replaceAll("[^A-Za-z0-9._:\\-]", "-");
            return SessionId.of(cleaned.length() > 128 ? cleaned.substring(0, 128) : cleaned);
        };
    }
}
