package dev.handoff.api;

import java.util.Objects;

/**
 * One reason an input was rejected.
 *
 * @param path         where the bad value sits, as a JSON path from the document root ({@code $.transcript[2].speaker})
 *                     or a dotted config key
 * @param invalidValue nullable; the value found there, already masked if it could be a secret
 * @param expected     what would have been accepted ({@code "must not be null"}, {@code "one of [CUSTOMER, AI]"})
 */
public record Violation(String path, Object invalidValue, String expected) {

    public Violation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(expected, "expected");
    }

    @Override
    public String toString() {
        return path + ": " + expected + " (was " + (invalidValue instanceof CharSequence ? "\"" + invalidValue + "\"" : invalidValue) + ")";
    }
}
