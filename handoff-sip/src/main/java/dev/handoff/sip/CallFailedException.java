package dev.handoff.sip;

import dev.handoff.api.HandoffException;

/**
 * An outbound call placed by {@link SipUserAgent#dial} was not answered with 2xx; the stage returned by
 * {@code dial} completes exceptionally with it. Retriable for 408, 480, 486, 503 and 600.
 */
public final class CallFailedException extends HandoffException {

    private final int statusCode;

    public CallFailedException(int statusCode, String reason) {
        super("call failed: " + statusCode + " " + reason);
        this.statusCode = statusCode;
    }

    /** The SIP status that ended the call attempt (408 when it timed out locally). */
    public int statusCode() {
        return statusCode;
    }

    @Override
    public boolean isRetriable() {
        return statusCode == 408 || statusCode == 480 || statusCode == 486 || statusCode == 503 || statusCode == 600;
    }
}
