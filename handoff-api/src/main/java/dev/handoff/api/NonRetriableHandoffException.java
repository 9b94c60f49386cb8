package dev.handoff.api;

import org.jspecify.annotations.Nullable;

/** A failure that repeating the same call will not fix: bad input, bad configuration, a 4xx refusal. */
public class NonRetriableHandoffException extends HandoffException {

    /**
     * A failure that will not go away on retry.
     *
     * @param message what went wrong; never secrets or PHI
     */
    public NonRetriableHandoffException(String message) {
        super(message);
    }

    /**
     * A failure that will not go away on retry, caused by another.
     *
     * @param message what went wrong; never secrets or PHI
     * @param cause   nullable; the underlying failure
     */
    public NonRetriableHandoffException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean isRetriable() {
        return false;
    }
}
