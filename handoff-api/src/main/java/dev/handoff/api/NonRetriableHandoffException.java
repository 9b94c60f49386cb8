package dev.handoff.api;

/** A failure that repeating the same call will not fix: bad input, bad configuration, a 4xx refusal. */
public class NonRetriableHandoffException extends HandoffException {

    public NonRetriableHandoffException(String message) {
        super(message);
    }

    public NonRetriableHandoffException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean isRetriable() {
        return false;
    }
}
