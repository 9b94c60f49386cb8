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

    public SessionId {
        Objects.requireNonNull(value, "value");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("session id must be 1-128 characters of [A-Za-z0-9._:-], was \"" + value + "\"");
        }
    }

    @JsonCreator
    public static SessionId of(String value) {
        return new SessionId(value);
    }

    /** A new random id ({@code s-} and a UUID). */
    public static SessionId random() {
        return new SessionId("s-" + UUID.randomUUID());
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
