package dev.handoff.api;

/** How the conversation is moved. */
public enum TransferMode {
    /** Blind transfer: SIP REFER; the AI leaves once the target answers. */
    COLD,
    /** Attended transfer: the AI consults the agent first (whisper window), then bridges with REFER/Replaces. */
    WARM,
    /** Chat: the conversation is offered to a human queue. */
    QUEUE
}
