package dev.handoff.examples.phone;

/**
 * Where a scripted phone reports what it did ("REFER received", "answered 200 OK"), for a demo's timeline.
 *
 * <p>Called on the phone's own event thread; must be quick and must not throw.
 */
@FunctionalInterface
public interface PhoneLog {

    /** Ignores every line. */
    PhoneLog NONE = (phone, line) -> { };

    /**
     * @param phone who reports: {@code sip:<phone name>} for a phone, {@code desk:<agent id>} for the desktop agent
     * @param line  what happened, one line
     */
    void line(String phone, String line);
}
