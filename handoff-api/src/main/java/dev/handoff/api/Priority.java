package dev.handoff.api;

/** How fast a human must take over. Ordered: a later constant is more urgent. */
public enum Priority {
    LOW,
    NORMAL,
    HIGH,
    URGENT;

    /** The more urgent of the two. */
    public Priority max(Priority other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
