package dev.handoff.core.internal;

import java.time.Duration;
import java.util.Objects;

/** Range checks the builders of several modules share, with one wording of the error. Not API. */
public final class Checks {

    private Checks() {
    }

    /**
     * {@code value} when it lies in {@code [min, max]}.
     *
     * @throws NullPointerException     naming {@code field} when {@code value} is null
     * @throws IllegalArgumentException naming {@code field}, the range and the value otherwise
     */
    public static Duration within(String field, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + " must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }

    /**
     * {@code value} when it is longer than zero.
     *
     * @throws NullPointerException     naming {@code field} when {@code value} is null
     * @throws IllegalArgumentException naming {@code field} and the value otherwise
     */
    public static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }
}
