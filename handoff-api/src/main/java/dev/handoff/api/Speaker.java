package dev.handoff.api;

/** Who said a turn. */
public enum Speaker {
    CUSTOMER,
    AI,
    AGENT,
    SYSTEM
}
