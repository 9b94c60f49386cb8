package dev.handoff.api.event;

/**
 * Receives lifecycle events. Called on the thread that produced the event; keep it quick and do not block.
 * An exception thrown here is logged and swallowed: it never affects the handoff or other listeners.
 */
@FunctionalInterface
public interface HandoffListener {

    void onEvent(HandoffEvent event);
}
