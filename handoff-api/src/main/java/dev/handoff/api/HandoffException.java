package dev.handoff.api;

/**
 * The one unchecked root of every exception Handoff throws. Callers that want to retry look at
 * {@link #isRetriable()} or catch {@link RetriableHandoffException}; everything else is a
 * {@link NonRetriableHandoffException}.
 */
public abstract class HandoffException extends RuntimeException {

    protected HandoffException(String message) {
        super(message);
    }

    protected HandoffException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same call may succeed if repeated later (a timeout, an outage, a 503). */
    public abstract boolean isRetriable();
}
