package dev.handoff.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Identifies one conversation across the bot, Handoff, the CRM and the agent desktop. Serialised as a plain
 * JSON string.
 *
 * @param value 1 to 128 characters from {@code [A-Za-z0-9._:-]}, so it fits SIP headers and URLs unescaped
 */
public record SessionId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    /**
     * Checks the shape.
     *
     * @param value 1 to 128 characters from {@code [A-Za-z0-9._:-]}, so it fits SIP headers and URLs unescaped
     * @throws NullPointerException     when {@code value} is null
     * @throws IllegalArgumentException when {@code value} is empty, longer than 128 characters or has a character
     *                                  outside {@code [A-Za-z0-9._:-]}; the message quotes the value
     */
    public SessionId {
        Objects.requireNonNull(value, "value");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("session id must be 1-128 characters of [A-Za-z0-9._:-], was \"" + value + "\"");
        }
    }

    /**
     * The id for a string, as Jackson reads it from JSON.
     *
     * @param value 1 to 128 characters from {@code [A-Za-z0-9._:-]}
     * @return the id
     * @throws IllegalArgumentException when {@code value} has the wrong shape
     */
    @JsonCreator
    public static SessionId of(String value) {
        return new SessionId(value);
    }

    /**
     * A new random id ({@code s-} and a random UUID), for a conversation the bot did not name.
     *
     * @return a new id
     */
    public static SessionId random() {
        return new SessionId("s-" + UUID.randomUUID());
    }

    /**
     * The id as a string; Jackson writes it as a plain JSON string.
     *
     * @return the value
     */
    @JsonValue
    @Override
    public String value() {
        return value;
    }

    /**
     * The id as a string, the same as {@link #value()}.
     *
     * @return the value
     */
    @Override
    public String toString() {
        return value;
    }
}
