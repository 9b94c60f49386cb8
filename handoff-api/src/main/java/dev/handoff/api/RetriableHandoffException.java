package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.util.Optional;

/** A failure that may go away: a timeout, an unreachable peer, a 429/503. Safe to retry with the same input. */
public class RetriableHandoffException extends HandoffException {

    /** The wait the peer asked for; null when it gave none. */
    private final @Nullable Duration retryAfter;

    /**
     * A failure that may go away on retry.
     *
     * @param message what went wrong; never secrets or PHI
     */
    public RetriableHandoffException(String message) {
        this(message, null, null);
    }

    /**
     * A failure that may go away on retry, caused by another.
     *
     * @param message what went wrong; never secrets or PHI
     * @param cause   nullable; the underlying failure (an {@code IOException}, a timeout)
     */
    public RetriableHandoffException(String message, @Nullable Throwable cause) {
        this(message, cause, null);
    }

    /**
     * A failure that may go away on retry, with the wait the peer asked for.
     *
     * @param message    what went wrong; never secrets or PHI
     * @param cause      nullable; the underlying failure
     * @param retryAfter nullable; the earliest time the peer said a retry may succeed (e.g. HTTP Retry-After)
     */
    public RetriableHandoffException(String message, @Nullable Throwable cause, @Nullable Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /**
     * The wait the peer asked for, when it said one.
     *
     * @return the wait, or empty when the peer gave none
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public final boolean isRetriable() {
        return true;
    }
}
