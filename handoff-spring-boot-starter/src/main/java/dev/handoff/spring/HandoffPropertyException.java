package dev.handoff.spring;

import dev.handoff.api.ConfigurationException;
import java.util.Objects;

/**
 * A {@code handoff.*} property has a value Handoff cannot use. Thrown while the application context starts; the
 * starter's failure analyzer prints the property, the value and what was expected. Values of secret properties (keys)
 * are never in the message: it names the key id and the length instead.
 */
public class HandoffPropertyException extends ConfigurationException {

    private final String property;
    private final String value;
    private final String expected;

    /**
     * @param property the full property name ({@code handoff.max-wait})
     * @param value    the value as written, or a description of it for secrets ({@code "(12 bytes)"})
     * @param expected what would have been accepted
     */
    public HandoffPropertyException(String property, String value, String expected) {
        this(property, value, expected, null);
    }

    public HandoffPropertyException(String property, String value, String expected, Throwable cause) {
        super("Invalid property " + Objects.requireNonNull(property, "property") + " = \"" + printable(value) + "\": expected "
                + Objects.requireNonNull(expected, "expected"), cause);
        this.property = property;
        this.value = value;
        this.expected = expected;
    }

    /** The property's full name. */
    public String property() {
        return property;
    }

    /** The value as written (never a secret). */
    public String value() {
        return value;
    }

    /** What would have been accepted. */
    public String expected() {
        return expected;
    }

    /** Control characters of a value taken from the environment are replaced, so the message stays one clean line. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        s.codePoints().limit(200).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
