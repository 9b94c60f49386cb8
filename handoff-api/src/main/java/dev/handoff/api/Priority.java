package dev.handoff.api;

/** How fast a human must take over. Ordered: a later constant is more urgent. */
public enum Priority {
    /** No hurry: a human when one is free. */
    LOW,
    /** The default. */
    NORMAL,
    /** Ahead of normal handoffs. */
    HIGH,
    /** At once; the kill switch routes at this priority. */
    URGENT;

    /**
     * The more urgent of the two.
     *
     * @param other the other priority
     * @return {@code other} when it is more urgent than this one, else this one
     */
    public Priority max(Priority other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
