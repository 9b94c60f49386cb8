package dev.handoff.api;

import java.time.Duration;
import java.util.Optional;

/** A failure that may go away: a timeout, an unreachable peer, a 429/503. Safe to retry with the same input. */
public class RetriableHandoffException extends HandoffException {

    private final Duration retryAfter;

    public RetriableHandoffException(String message) {
        this(message, null, null);
    }

    public RetriableHandoffException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * @param retryAfter nullable; the earliest time the peer said a retry may succeed (e.g. HTTP Retry-After)
     */
    public RetriableHandoffException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** The wait the peer asked for, when it said one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public final boolean isRetriable() {
        return true;
    }
}
