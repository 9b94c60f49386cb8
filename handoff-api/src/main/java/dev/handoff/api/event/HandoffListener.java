package dev.handoff.api.event;

/**
 * Receives lifecycle events. Called on the thread that produced the event; keep it quick and do not block.
 * An exception thrown here is logged and swallowed: it never affects the handoff or other listeners.
 */
@FunctionalInterface
public interface HandoffListener {

    /**
     * Receives one event. Events of one session arrive one at a time, in order; see {@link HandoffEvent}.
     *
     * @param event the event; switch over its sealed subtypes
     */
    void onEvent(HandoffEvent event);
}
