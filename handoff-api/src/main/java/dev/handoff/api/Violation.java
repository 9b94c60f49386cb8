package dev.handoff.api;

import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * One reason an input was rejected.
 *
 * @param path         where the bad value sits, as a JSON path from the document root ({@code $.transcript[2].speaker})
 *                     or a dotted config key
 * @param invalidValue nullable; the value found there, already masked if it could be a secret
 * @param expected     what would have been accepted ({@code "must not be null"}, {@code "one of [CUSTOMER, AI]"})
 */
public record Violation(String path, @Nullable Object invalidValue, String expected) {

    /**
     * Checks the violation.
     *
     * @param path         where the bad value sits, as a JSON path from the document root ({@code $.transcript[2].speaker})
     *                     or a dotted config key
     * @param invalidValue nullable; the value found there, already masked if it could be a secret
     * @param expected     what would have been accepted ({@code "must not be null"}, {@code "one of [CUSTOMER, AI]"})
     * @throws NullPointerException when {@code path} or {@code expected} is null
     */
    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(expected, "expected");
    }

    /**
     * One line for a message: {@code path: expected (was value)}, strings quoted.
     *
     * @return the line
     */
    @Override
    public String toString() {
        return path + ": " + expected + " (was " + (invalidValue instanceof CharSequence ? "\"" + invalidValue + "\"" : invalidValue) + ")";
    }
}
