package dev.handoff.crm.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * Stops calling a CRM that keeps failing, so an outage costs one probe per {@link Config#openDuration()}
 * instead of a full retry schedule per handoff.
 *
 * <p>Sized for low-volume endpoints (a handful of handoffs per minute): the window is the last
 * {@link Config#windowSize()} calls that are younger than {@link Config#windowMaxAge()}, and it only opens once
 * at least {@link Config#minimumCalls()} of them are in it, so one failure in a quiet hour does not open it and
 * failures from yesterday do not count today. While open, calls are refused; after the open duration one probe
 * goes through (half-open): success closes the circuit, failure opens it again.
 *
 * <p>Thread-safe; shared by every thread of one {@link CrmHttpClient}.
 */
public final class CircuitBreaker {

    /** The circuit's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /**
     * @param windowSize           how many recent calls are judged, at least 1
     * @param minimumCalls         how many calls must be in the window before it can open, 1..windowSize
     * @param failureRateThreshold the failure share at or above which it opens, in (0, 1]
     * @param windowMaxAge         calls older than this leave the window
     * @param openDuration         how long it stays open before one probe is let through
     */
    public record Config(int windowSize, int minimumCalls, double failureRateThreshold, Duration windowMaxAge,
                         Duration openDuration) {

        /** Default window: the last 10 calls. */
        public static final int DEFAULT_WINDOW_SIZE = 10;
        /** Default minimum: 5 calls in the window. */
        public static final int DEFAULT_MINIMUM_CALLS = 5;
        /** Default threshold: 50% failures. */
        public static final double DEFAULT_FAILURE_RATE_THRESHOLD = 0.5;
        /** Default age limit of a call in the window: 10 minutes. */
        public static final Duration DEFAULT_WINDOW_MAX_AGE = Duration.ofMinutes(10);
        /** Default open time before a probe: 30 s. */
        public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);

        public Config {
            Objects.requireNonNull(windowMaxAge, "windowMaxAge");
            Objects.requireNonNull(openDuration, "openDuration");
            if (windowSize < 1) {
                throw new IllegalArgumentException("windowSize must be at least 1, was " + windowSize);
            }
            if (minimumCalls < 1 || minimumCalls > windowSize) {
                throw new IllegalArgumentException("minimumCalls must be in [1, windowSize=" + windowSize + "], was " + minimumCalls);
            }
            if (!(failureRateThreshold > 0.0 && failureRateThreshold <= 1.0)) {
                throw new IllegalArgumentException("failureRateThreshold must be in (0, 1], was " + failureRateThreshold);
            }
            if (windowMaxAge.isNegative() || windowMaxAge.isZero()) {
                throw new IllegalArgumentException("windowMaxAge must be positive, was " + windowMaxAge);
            }
            if (openDuration.isNegative()) {
                throw new IllegalArgumentException("openDuration must not be negative, was " + openDuration);
            }
        }

        /** 10 calls, at least 5, 50%, 10 minutes, open for 30 s. */
        public static Config defaults() {
            return new Config(DEFAULT_WINDOW_SIZE, DEFAULT_MINIMUM_CALLS, DEFAULT_FAILURE_RATE_THRESHOLD,
                    DEFAULT_WINDOW_MAX_AGE, DEFAULT_OPEN_DURATION);
        }
    }

    private record Outcome(Instant at, boolean failed) {
    }

    private final Config config;
    private final Clock clock;
    private final Deque<Outcome> window = new ArrayDeque<>();
    private State state = State.CLOSED;
    private Instant openedAt;
    private boolean probeInFlight;

    public CircuitBreaker(Config config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Asks to make a call.
     *
     * @return empty when the call may go ahead; otherwise how long until the next probe is allowed
     */
    public synchronized Optional<Duration> tryAcquire() {
        Instant now = clock.instant();
        switch (state) {
            case CLOSED:
                return Optional.empty();
            case OPEN: {
                Duration left = Duration.between(now, openedAt.plus(config.openDuration()));
                if (left.isNegative() || left.isZero()) {
                    state = State.HALF_OPEN;
                    probeInFlight = true;
                    return Optional.empty();
                }
                return Optional.of(left);
            }
            case HALF_OPEN:
            default:
                if (probeInFlight) {
                    return Optional.of(config.openDuration());
                }
                probeInFlight = true;
                return Optional.empty();
        }
    }

    /** Records a call that reached the CRM and got an answer that says the CRM is healthy. */
    public synchronized void onSuccess() {
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            probeInFlight = false;
            window.clear();
        }
        record(false);
    }

    /** Records a call that failed because of the CRM or the network (I/O error, timeout, 429, 5xx). */
    public synchronized void onFailure() {
        Instant now = clock.instant();
        if (state == State.HALF_OPEN) {
            state = State.OPEN;
            openedAt = now;
            probeInFlight = false;
            return;
        }
        record(true);
        if (state == State.CLOSED && window.size() >= config.minimumCalls()) {
            long failures = window.stream().filter(Outcome::failed).count();
            if ((double) failures / window.size() >= config.failureRateThreshold()) {
                state = State.OPEN;
                openedAt = now;
                window.clear();
            }
        }
    }

    /** Gives back a permission that was not used (nothing was sent), so a half-open probe is not lost. */
    public synchronized void release() {
        if (state == State.HALF_OPEN) {
            probeInFlight = false;
        }
    }

    /** The current state (OPEN turns HALF_OPEN only when a caller asks after the open duration). */
    public synchronized State state() {
        return state;
    }

    private void record(boolean failed) {
        Instant now = clock.instant();
        window.addLast(new Outcome(now, failed));
        while (window.size() > config.windowSize()) {
            window.removeFirst();
        }
        Instant oldest = now.minus(config.windowMaxAge());
        while (!window.isEmpty() && window.peekFirst().at().isBefore(oldest)) {
            window.removeFirst();
        }
    }
}
