package dev.handoff.crm.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How often and how long to wait before repeating a failed CRM call: exponential back-off with jitter,
 * {@code min(maxDelay, initialDelay x multiplier^(n-1)) x j} after the n-th failure, with {@code j} drawn
 * uniformly from {@code [jitterMin, 1)}. With the defaults the waits are 375-500 ms, 750-1000 ms,
 * 1.5-2 s, 3-4 s, then 3.75-5 s.
 *
 * <p>A server's {@code Retry-After} (on 429 and 503) replaces the computed wait; one longer than
 * {@link #maxRetryAfter()} ends the in-process retries so the caller (the durable outbox) can come back later.
 *
 * @param maxAttempts   total attempts including the first; at least 1
 * @param initialDelay  the wait after the first failure, before jitter
 * @param multiplier    growth factor per failure; at least 1
 * @param maxDelay      cap on the computed wait, before jitter
 * @param jitterMin     lower bound of the jitter factor, in {@code [0, 1]}
 * @param maxRetryAfter the longest {@code Retry-After} honoured in process
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitterMin,
                          Duration maxRetryAfter) {

    /** Default total attempts: 4 (the first and three retries). */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** Default first wait: 500 ms. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(500);
    /** Default growth factor: 2. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default cap on a computed wait: 5 s. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(5);
    /** Default lower bound of the jitter factor: 0.75, so a wait is 75-100% of the computed one. */
    public static final double DEFAULT_JITTER_MIN = 0.75;
    /** Default longest Retry-After honoured in process: 60 s. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /**
     * A policy as given.
     *
     * @throws IllegalArgumentException naming the component and its value when {@code maxAttempts} is under 1, a
     *                                  duration is negative, {@code multiplier} is under 1 or infinite,
     *                                  {@code maxDelay} is shorter than {@code initialDelay}, or {@code jitterMin} is
     *                                  outside {@code [0, 1]}
     */
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, was " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " must not be shorter than initialDelay " + initialDelay);
        }
        if (!(jitterMin >= 0.0 && jitterMin <= 1.0)) {
            throw new IllegalArgumentException("jitterMin must be in [0, 1], was " + jitterMin);
        }
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must not be negative, was " + maxRetryAfter);
        }
    }

    /** The defaults: 4 attempts, 500 ms x 2^(n-1) capped at 5 s, jitter [0.75, 1), Retry-After up to 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_MAX_DELAY,
                DEFAULT_JITTER_MIN, DEFAULT_MAX_RETRY_AFTER);
    }

    /** A single attempt, never retried in process. */
    public static RetryPolicy noRetries() {
        return defaults().withMaxAttempts(1);
    }

    /**
     * This policy with another number of attempts.
     *
     * @param attempts total attempts, the first included; at least 1
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException when {@code attempts} is under 1
     */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialDelay, multiplier, maxDelay, jitterMin, maxRetryAfter);
    }

    /**
     * This policy with other waits between attempts.
     *
     * @param initial the wait after the first failure, not negative
     * @param max     the cap on a computed wait, not shorter than {@code initial}
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException when a duration is negative or {@code max} is shorter than {@code initial}
     */
    public RetryPolicy withDelays(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, multiplier, max, jitterMin, maxRetryAfter);
    }

    /**
     * This policy with another cap on the server's {@code Retry-After}: a longer one ends the in-process retries
     * (the outbox, where there is one, tries again later).
     *
     * @param max the longest {@code Retry-After} waited for in process, not negative
     * @return a new policy; this one is unchanged
     * @throws IllegalArgumentException when {@code max} is negative
     */
    public RetryPolicy withMaxRetryAfter(Duration max) {
        return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitterMin, max);
    }

    /**
     * The wait after the {@code failures}-th consecutive failure.
     *
     * @param failures how many attempts have failed so far, at least 1
     * @param random   source of uniform values in {@code [0, 1)} for the jitter
     */
    public Duration backoff(int failures, DoubleSupplier random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        double base = initialDelay.toNanos() * Math.pow(multiplier, failures - 1);
        double capped = Math.min(base, (double) maxDelay.toNanos());
        double r = random.getAsDouble();
        if (!(r >= 0.0 && r < 1.0)) {
            throw new IllegalArgumentException("random must return values in [0, 1), returned " + r);
        }
        double factor = jitterMin + (1.0 - jitterMin) * r;
        return Duration.ofNanos((long) (capped * factor));
    }
}
