package dev.handoff.api;

import org.jspecify.annotations.Nullable;

/**
 * The one unchecked root of every exception Handoff throws. Callers that want to retry look at
 * {@link #isRetriable()} or catch {@link RetriableHandoffException}; everything else is a
 * {@link NonRetriableHandoffException}.
 */
public abstract class HandoffException extends RuntimeException {

    /**
     * For subclasses.
     *
     * @param message what went wrong; never secrets, PHI or unstripped attacker-supplied text
     */
    protected HandoffException(String message) {
        super(message);
    }

    /**
     * For subclasses.
     *
     * @param message what went wrong; never secrets, PHI or unstripped attacker-supplied text
     * @param cause   nullable; the underlying failure
     */
    protected HandoffException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same call may succeed if repeated later (a timeout, an outage, a 503).
     *
     * @return true for {@link RetriableHandoffException}, false for {@link NonRetriableHandoffException}
     */
    public abstract boolean isRetriable();
}
