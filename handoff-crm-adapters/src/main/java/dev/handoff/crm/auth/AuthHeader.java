package dev.handoff.crm.auth;

import java.util.Objects;

/**
 * One credential header to put on a request ({@code Authorization: Bearer ...}). {@link #toString()} never
 * shows the value.
 *
 * @param name  the header name
 * @param value the header value; a secret
 */
public record AuthHeader(String name, String value) {

    public AuthHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank()) {
            throw new IllegalArgumentException("auth header name must not be blank");
        }
    }

    @Override
    public String toString() {
        return "AuthHeader[" + name + ": ****]";
    }
}
