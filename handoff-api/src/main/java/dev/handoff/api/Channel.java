package dev.handoff.api;

/** How the customer is talking to us. */
public enum Channel {
    /** A phone call; transfers move a SIP dialog. */
    VOICE,
    /** A chat or messaging conversation; transfers move it to a human queue. */
    CHAT
}
