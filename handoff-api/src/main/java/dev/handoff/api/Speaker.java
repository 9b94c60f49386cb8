package dev.handoff.api;

/** Who said a turn. */
public enum Speaker {
    /** The person being served. */
    CUSTOMER,
    /** The bot. */
    AI,
    /** The human who took over. */
    AGENT,
    /** Handoff itself or the platform (a notice, a hold message). */
    SYSTEM
}
